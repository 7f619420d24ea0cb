"""Distributions in their JSON shape (openvoucher's extension)."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso


def distribution(row: dict[str, Any]) -> dict[str, Any]:
    """A distribution with its webhook channels."""
    return {
        "id": row["id"],
        "object": "distribution",
        "name": row["name"],
        "trigger": row["trigger"],
        "active": row["active"],
        "channels": [dict(channel) for channel in row["channels"]],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
    }
