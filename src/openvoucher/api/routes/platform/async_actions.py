"""``/v1/async-actions``."""

from __future__ import annotations

from typing import Any

from openvoucher.api.params import date_param, int_param
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.platform import async_actions
from openvoucher.platform.presenters.async_actions import async_action, async_actions_list

routes = Routes()


@routes.get("/v1/async-actions")
def list_async_actions(request: ApiRequest) -> dict[str, Any]:
    """The newest actions, optionally only those created before ``end_date``."""
    limit = int_param(request.query, "limit", 10, low=1, high=100)
    end_date = date_param(request.query, "end_date")
    rows, has_more = async_actions.list_actions(
        request.uow, request.project_id, limit=limit, end_date=end_date
    )
    return async_actions_list(rows, has_more)


@routes.get("/v1/async-actions/{asyncActionId}")
def get_async_action(request: ApiRequest) -> dict[str, Any]:
    """One action with its status, progress and result."""
    row = async_actions.get(request.uow, request.project_id, request.path["asyncActionId"])
    return async_action(row)
