"""Product collections and their products in Voucherify's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.model import CollectionMember, Product, ProductCollection, Sku
from openvoucher.catalog.presenters.products import product, sku
from openvoucher.kernel.clock import iso
from openvoucher.kernel.lists import listing


def collection(row: ProductCollection, members: list[CollectionMember]) -> dict[str, Any]:
    """A ``products_collection``: its ``filter`` (AUTO_UPDATE) or ``products`` (STATIC)."""
    body: dict[str, Any] = {"id": row.id, "name": row.name, "type": row.type}
    if row.type == "AUTO_UPDATE":
        body["filter"] = row.filter
    else:
        body["products"] = [_member(member) for member in members]
    body.update(created_at=iso(row.created_at), object="products_collection")
    return body


def _member(member: CollectionMember) -> dict[str, Any]:
    if member.object == "sku":
        return {"id": member.sku_id, "product_id": member.product_id, "object": "sku"}
    return {"id": member.product_id, "object": "product"}


def collections_list(
    rendered: list[tuple[ProductCollection, list[CollectionMember]]], total: int
) -> dict[str, Any]:
    """The ``GET /v1/product-collections`` envelope."""
    return listing([collection(row, members) for row, members in rendered], total)


def _product(row: Product) -> dict[str, Any]:
    """A product without its SKUs list."""
    body = product(row, [])
    body.pop("skus")
    return body


def _sku(row: Sku, parent: Product) -> dict[str, Any]:
    """A SKU with its product; empty ``attributes`` are left out (the SDK's model of this list
    types them as a list, the spec as an object)."""
    body = sku(row)
    if not body["attributes"]:
        body.pop("attributes")
    body["product"] = _product(parent)
    return body


def _entry(row: Product | Sku, parent: Product | None) -> dict[str, Any]:
    if isinstance(row, Sku):
        assert parent is not None
        return _sku(row, parent)
    return _product(row)


def collection_products(
    rows: list[tuple[Product, None] | tuple[Sku, Product]], total: int
) -> dict[str, Any]:
    """The ``GET /v1/product-collections/{id}/products`` envelope: products and SKUs."""
    data = [_entry(row, parent) for row, parent in rows]
    return listing(data, total)
