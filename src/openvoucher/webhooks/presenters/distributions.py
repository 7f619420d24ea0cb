"""Distributions in their JSON shape (openvoucher's extension)."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso
from openvoucher.webhooks.model import Distribution


def distribution(found: Distribution) -> dict[str, Any]:
    """A distribution with its webhook channels."""
    return {
        "id": found.id,
        "object": "distribution",
        "name": found.name,
        "trigger": found.trigger,
        "active": found.active,
        "channels": [channel.columns() for channel in found.channels],
        "created_at": iso(found.created_at),
        "updated_at": iso(found.updated_at),
    }
