"""Locations in Voucherify's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.model import Location
from openvoucher.kernel.clock import iso


def location(row: Location) -> dict[str, Any]:
    """The ``Location`` object."""
    return {
        "id": row.id,
        "object": "location",
        "name": row.name,
        "shape": row.shape,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }
