"""``/v1/product-collections``: STATIC and AUTO_UPDATE product collections and their products."""

from __future__ import annotations

from typing import Any

from openvoucher.api.params import choice_param, page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.products import CollectionCreate
from openvoucher.catalog import product_collections
from openvoucher.catalog.model import CollectionFields, MemberRef
from openvoucher.catalog.presenters.product_collections import (
    collection,
    collection_products,
    collections_list,
)
from openvoucher.catalog.repositories.products import Window

routes = Routes()

ORDERS = {"created_at", "-created_at", "updated_at", "-updated_at"}


@routes.post("/v1/product-collections")
def create_collection(request: ApiRequest) -> dict[str, Any]:
    """Create a STATIC (listed products and SKUs) or AUTO_UPDATE (filtered) collection."""
    body = request.json(CollectionCreate)
    fields = CollectionFields(
        name=body.name,
        type=body.type,
        products=tuple(MemberRef(m.id, m.object, m.product_id) for m in body.products or ()),
        filter=body.filter,
    )
    return collection(*product_collections.create(request.uow, request.project_id, fields))


@routes.get("/v1/product-collections")
def list_collections(request: ApiRequest) -> dict[str, Any]:
    """A page of collections (``order``: ``created_at`` or ``-created_at``, the default)."""
    page = page_params(request.query, max_page=100)
    order = choice_param(request.query, "order", ORDERS, "-created_at")
    rendered, total = product_collections.list_collections(
        request.uow, request.project_id, page.limit, page.offset, order.startswith("-")
    )
    return collections_list(rendered, total)


@routes.get("/v1/product-collections/{productCollectionId}")
def get_collection(request: ApiRequest) -> dict[str, Any]:
    """One collection."""
    ident = request.path["productCollectionId"]
    return collection(*product_collections.get(request.uow, request.project_id, ident))


@routes.delete("/v1/product-collections/{productCollectionId}", status=204)
def delete_collection(request: ApiRequest) -> None:
    """Remove a collection (vouchers naming it then match no item through it)."""
    ident = request.path["productCollectionId"]
    product_collections.delete(request.uow, request.project_id, ident)


@routes.get("/v1/product-collections/{productCollectionId}/products")
def collection_items(request: ApiRequest) -> dict[str, Any]:
    """A page of the collection's products and SKUs (STATIC: in the order listed)."""
    page = page_params(request.query, max_page=100)
    order = choice_param(request.query, "order", ORDERS, "-created_at")
    window = Window(order=order, limit=page.limit, offset=page.offset)
    ident = request.path["productCollectionId"]
    rows, total = product_collections.products_of(request.uow, request.project_id, ident, window)
    return collection_products(rows, total)
