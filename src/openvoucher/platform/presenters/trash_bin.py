"""Bin entries as Voucherify renders them."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso
from openvoucher.platform.model import BinEntry


def bin_entry(row: BinEntry) -> dict[str, Any]:
    """One entry: what was binned, when, and its parent (a voucher's campaign, a SKU's product)."""
    return {
        "id": row.id,
        "created_at": iso(row.created_at),
        "deleted_by_user_id": row.deleted_by_user_id,
        "resource_id": row.resource_id,
        "resource_type": row.resource_type,
        "resource_name": row.resource_name,
        "resource_parent_id": row.resource_parent_id,
        "object": row.resource_type,
    }


def bin_page(rows: list[BinEntry], limit: int) -> dict[str, Any]:
    """A page of entries (``rows`` holds one extra row when there are more); ``total`` counts
    the entries on the page, as Voucherify's does."""
    shown = rows[:limit]
    more = len(rows) > limit
    body: dict[str, Any] = {
        "object": "list",
        "data_ref": "data",
        "data": [bin_entry(row) for row in shown],
        "total": len(shown),
        "has_more": more,
    }
    if more:
        body["more_starting_after"] = shown[-1].id
    return body
