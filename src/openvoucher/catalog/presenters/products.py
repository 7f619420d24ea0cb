"""Products and SKUs in Voucherify's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso
from openvoucher.kernel.lists import listing


def _when(value: Any) -> str | None:
    return iso(value) if value is not None else None


def sku(row: dict[str, Any]) -> dict[str, Any]:
    """The SKU object."""
    attrs = row["attrs"]
    return {
        "id": row["id"],
        "source_id": row["source_id"],
        "product_id": row["product_id"],
        "sku": row["sku"],
        "price": row["price"],
        "currency": row["currency"],
        "attributes": attrs.get("attributes") or {},
        "image_url": attrs.get("image_url"),
        "metadata": attrs.get("metadata") or {},
        "created_at": iso(row["created_at"]),
        "updated_at": _when(row["updated_at"]),
        "object": "sku",
    }


def product(row: dict[str, Any], sku_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The product object with its ``skus`` sub-list."""
    attrs = row["attrs"]
    return {
        "id": row["id"],
        "source_id": row["source_id"],
        "name": row["name"],
        "price": row["price"],
        "attributes": attrs.get("attributes") or [],
        "metadata": attrs.get("metadata") or {},
        "image_url": attrs.get("image_url"),
        "created_at": iso(row["created_at"]),
        "updated_at": _when(row["updated_at"]),
        "object": "product",
        "skus": listing([sku(s) for s in sku_rows], len(sku_rows)),
    }


def products_list(
    rows: list[dict[str, Any]], skus_by_product: dict[str, list[dict[str, Any]]], total: int
) -> dict[str, Any]:
    """The ``GET /v1/products`` envelope."""
    items = [product(row, skus_by_product.get(row["id"], [])) for row in rows]
    return listing(items, total, "products")


def skus_list(rows: list[dict[str, Any]], total: int) -> dict[str, Any]:
    """The ``GET /v1/products/{id}/skus`` envelope."""
    return listing([sku(row) for row in rows], total, "skus")
