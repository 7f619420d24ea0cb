"""Customer segments in Voucherify's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.customers.model import Segment
from openvoucher.kernel.clock import iso


def segment(row: Segment) -> dict[str, Any]:
    """The full segment object (``Segment``)."""
    return {
        "id": row.id,
        "name": row.name,
        "created_at": iso(row.created_at),
        "updated_at": None,
        "type": row.type,
        "filter": row.filter,
        "initial_sync_status": "DONE",
        "object": "segment",
    }


def simple_segment(row: Segment) -> dict[str, Any]:
    """The short segment of customer lists and events (``SimpleSegment``)."""
    return {"id": row.id, "name": row.name, "object": "segment"}
