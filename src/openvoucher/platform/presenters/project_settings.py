"""Stacking rules in Voucherify's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso
from openvoucher.kernel.lists import listing


def _when(value: Any) -> str | None:
    return iso(value) if value is not None else None


def stacking_rules(view: dict[str, Any]) -> dict[str, Any]:
    """The rules in force; the defaults have no id and no dates."""
    row = view["row"]
    return {
        "id": row["id"] if row else None,
        **view["rules"],
        "created_at": iso(row["created_at"]) if row else None,
        "updated_at": _when(row["updated_at"]) if row else None,
    }


def stacking_rules_list(view: dict[str, Any]) -> dict[str, Any]:
    """Always a list of one item."""
    return listing([stacking_rules(view)], 1)
