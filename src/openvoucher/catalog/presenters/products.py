"""Products and SKUs in Voucherify's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.model import Product, Sku
from openvoucher.kernel.clock import iso
from openvoucher.kernel.lists import listing


def _when(value: Any) -> str | None:
    return iso(value) if value is not None else None


def sku(row: Sku) -> dict[str, Any]:
    """The SKU object."""
    return {
        "id": row.id,
        "source_id": row.source_id,
        "product_id": row.product_id,
        "sku": row.sku,
        "price": row.price,
        "currency": row.currency,
        "attributes": row.attributes or {},
        "image_url": row.image_url,
        "metadata": row.metadata or {},
        "created_at": iso(row.created_at),
        "updated_at": _when(row.updated_at),
        "object": "sku",
    }


def product(row: Product, sku_rows: list[Sku]) -> dict[str, Any]:
    """The product object with its ``skus`` sub-list."""
    return {
        "id": row.id,
        "source_id": row.source_id,
        "name": row.name,
        "price": row.price,
        "attributes": row.attributes or [],
        "metadata": row.metadata or {},
        "image_url": row.image_url,
        "created_at": iso(row.created_at),
        "updated_at": _when(row.updated_at),
        "object": "product",
        "skus": listing([sku(s) for s in sku_rows], len(sku_rows)),
    }


def products_list(
    rows: list[Product], skus_by_product: dict[str, list[Sku]], total: int
) -> dict[str, Any]:
    """The ``GET /v1/products`` envelope."""
    items = [product(row, skus_by_product.get(row.id, [])) for row in rows]
    return listing(items, total, "products")


def skus_list(rows: list[Sku], total: int) -> dict[str, Any]:
    """The ``GET /v1/products/{id}/skus`` envelope."""
    return listing([sku(row) for row in rows], total, "skus")
