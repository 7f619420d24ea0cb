"""Async actions in Voucherify's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso
from openvoucher.platform.model import AsyncAction


def async_action_base(row: AsyncAction) -> dict[str, Any]:
    """The action without its ``result`` (the list item shape)."""
    return {
        "id": row.id,
        "type": row.type,
        "status": row.status,
        "operation_status": row.operation_status,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "request_id": row.request.get("request_id"),
        "processing_time": row.processing_time,
        "progress": row.progress,
        "object": "async_action",
    }


def async_action(row: AsyncAction) -> dict[str, Any]:
    """The full action, with its ``result`` once there is one (the key is left out before:
    the spec's ``result`` is an object, never ``null``)."""
    body = async_action_base(row)
    if row.result is not None:
        body["result"] = row.result
    return body


def async_actions_list(rows: list[AsyncAction], has_more: bool) -> dict[str, Any]:
    """The ``GET /v1/async-actions`` envelope."""
    return {
        "object": "list",
        "data_ref": "async_actions",
        "async_actions": [async_action_base(row) for row in rows],
        "has_more": has_more,
    }
