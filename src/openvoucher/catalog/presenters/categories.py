"""Categories in Voucherify's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.model import Category
from openvoucher.kernel.clock import iso
from openvoucher.kernel.lists import listing


def category(row: Category) -> dict[str, Any]:
    """The category object; ``updated_at`` appears once the category has been updated.

    This is also the item shape of a voucher's or campaign's ``categories`` array.
    """
    body: dict[str, Any] = {
        "id": row.id,
        "name": row.name,
        "hierarchy": row.hierarchy,
        "created_at": iso(row.created_at),
    }
    if row.updated_at is not None:
        body["updated_at"] = iso(row.updated_at)
    body["object"] = "category"
    return body


def category_created(row: Category) -> dict[str, Any]:
    """The ``POST /v1/categories`` response, which carries no ``updated_at``."""
    body = category(row)
    body.pop("updated_at", None)
    return body


def categories_list(rows: list[Category]) -> dict[str, Any]:
    """The ``GET /v1/categories`` list envelope."""
    return listing([category(row) for row in rows], len(rows))
