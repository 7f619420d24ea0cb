"""Locations in Voucherify's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso


def location(row: dict[str, Any]) -> dict[str, Any]:
    """The ``Location`` object."""
    return {
        "id": row["id"],
        "object": "location",
        "name": row["name"],
        "shape": row["attrs"]["shape"],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
    }
