"""The ``"object": "list"`` envelope of Voucherify's list responses."""

from __future__ import annotations

from typing import Any


def listing(items: list[Any], total: int, ref: str = "data") -> dict[str, Any]:
    """``{"object": "list", "data_ref": ref, ref: items, "total": total}``."""
    return {"object": "list", "data_ref": ref, ref: items, "total": total}
