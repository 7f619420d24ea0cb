"""``/v1/trash-bin``: campaigns, vouchers, products and SKUs deleted without ``force``."""

from __future__ import annotations

from typing import Any

from openvoucher.api.filters import filters_param
from openvoucher.api.params import choice_param, int_param
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.platform import trash_bin
from openvoucher.platform.presenters.trash_bin import bin_page
from openvoucher.platform.repositories.trash_bin import FILTER_FIELDS

routes = Routes()


@routes.get("/v1/trash-bin")
def list_bin_entries(request: ApiRequest) -> dict[str, Any]:
    """A page of bin entries in id order, after ``starting_after_id``, filterable."""
    query = request.query
    limit = int_param(query, "limit", 10, low=1, high=100)
    descending = choice_param(query, "order", {"id", "-id"}, "id") == "-id"
    filters = filters_param(query, FILTER_FIELDS)
    after = query.get("starting_after_id") or None
    rows = trash_bin.list_entries(
        request.uow, request.project_id, limit, after, descending, filters
    )
    return bin_page(rows, limit)


@routes.delete("/v1/trash-bin/{binEntryId}", status=204)
def delete_bin_entry(request: ApiRequest) -> None:
    """Delete the entry for good (a binned voucher's code is free again)."""
    trash_bin.delete_entry(request.uow, request.project_id, request.path["binEntryId"])
