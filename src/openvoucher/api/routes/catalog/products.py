"""``/v1/products``: products, their SKUs, bulk updates and CSV imports."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile

from openvoucher.api.filters import filters_param
from openvoucher.api.null_policy import without_nulls
from openvoucher.api.params import bool_param, choice_param, date_param, page_params
from openvoucher.api.routing import ApiRequest, Routes, decode_json
from openvoucher.api.schemas.customers import given
from openvoucher.api.schemas.products import (
    BulkProduct,
    MetadataUpdate,
    ProductCreate,
    ProductUpdate,
    SkuCreate,
    SkuUpdate,
)
from openvoucher.catalog import product_jobs, products
from openvoucher.catalog.model import ProductChange, SkuChange
from openvoucher.catalog.presenters.products import product, products_list, sku, skus_list
from openvoucher.catalog.repositories.products import PRODUCT_FILTER_FIELDS, Window
from openvoucher.kernel.errors import InvalidPayload

routes = Routes()

ORDERS = {"created_at", "-created_at", "updated_at", "-updated_at"}
MAX_BULK_BYTES = 10 * 1024 * 1024
BULK_BODY: Any = list[BulkProduct] | dict[str, Any]


def list_window(
    request: ApiRequest, default_order: str = "-created_at", *, filtered: bool = False
) -> Window:
    """``limit``, ``page``, ``order``, ``start_date``, ``end_date`` (and ``filters[…]``)."""
    q = request.query
    page = page_params(q, max_page=100)
    return Window(
        order=choice_param(q, "order", ORDERS, default_order),
        limit=page.limit,
        offset=page.offset,
        start_date=date_param(q, "start_date"),
        end_date=date_param(q, "end_date"),
        filters=filters_param(q, PRODUCT_FILTER_FIELDS) if filtered else None,
    )


@routes.post("/v1/products")
def create_product(request: ApiRequest) -> dict[str, Any]:
    """Create a product, or update the one with the same id or source_id."""
    change = ProductChange.of(given(request.json(ProductCreate)))
    return product(*products.create(request.uow, request.project_id, change))


@routes.get("/v1/products")
def list_products(request: ApiRequest) -> dict[str, Any]:
    """A page of products with their SKUs, narrowed by ``filters[field][conditions][$op]``."""
    window = list_window(request, filtered=True)
    rows, skus, total = products.list_products(request.uow, request.project_id, window)
    return products_list(rows, skus, total)


@routes.get("/v1/products/{productId}")
def get_product(request: ApiRequest) -> dict[str, Any]:
    """By id or source_id."""
    return product(*products.get(request.uow, request.project_id, request.path["productId"]))


@routes.put("/v1/products/{productId}")
def update_product(request: ApiRequest) -> dict[str, Any]:
    """Change the given fields."""
    change = ProductChange.of(without_nulls(given(request.json(ProductUpdate))))
    ident = request.path["productId"]
    return product(*products.update(request.uow, request.project_id, ident, change))


@routes.delete("/v1/products/{productId}", status=204)
def delete_product(request: ApiRequest) -> None:
    """Remove a product and its SKUs; the product goes to the bin unless ``force=true``."""
    binned = not bool_param(request.query, "force")
    products.delete(request.uow, request.project_id, request.path["productId"], binned=binned)


@routes.post("/v1/products/bulk/async", status=202, max_body=MAX_BULK_BYTES)
def bulk_update(request: ApiRequest) -> dict[str, Any]:
    """Queue an upsert of each listed product (by source_id); ``{}`` or no body is no product."""
    body: list[BulkProduct] | dict[str, Any] = decode_json(request.raw or b"[]", BULK_BODY)
    if isinstance(body, dict):
        if body:
            raise InvalidPayload("Invalid payload", "The body must be an array of products")
        body = []
    items = [given(item) for item in body]
    action_id = product_jobs.enqueue_bulk_update(
        request.uow, request.project_id, items, request.request_id
    )
    return {"async_action_id": action_id}


@routes.post("/v1/products/metadata/async", status=202, max_body=MAX_BULK_BYTES)
def bulk_metadata(request: ApiRequest) -> dict[str, Any]:
    """Queue a metadata merge into each product listed by source_id."""
    body = request.json(MetadataUpdate)
    action_id = product_jobs.enqueue_metadata_update(
        request.uow, request.project_id, body.source_ids, body.metadata, request.request_id
    )
    return {"async_action_id": action_id}


def csv_file(request: ApiRequest) -> bytes:
    """The bytes of the multipart ``file`` field, or 400."""
    form = request.form
    upload = form.get("file") if form is not None else None
    data = b""
    if isinstance(upload, UploadFile):
        upload.file.seek(0)
        data = upload.file.read()
    for value in form.values() if form is not None else ():
        if isinstance(value, UploadFile):
            value.file.close()
    if not isinstance(upload, UploadFile):
        raise InvalidPayload("Invalid payload", "Send the CSV as multipart/form-data field 'file'")
    return data


def import_csv(request: ApiRequest, kind: str) -> dict[str, Any]:
    """Queue a CSV import of ``kind``; answers with the async action's id (200, as the spec)."""
    action_id = product_jobs.enqueue_csv(
        request.uow, request.project_id, kind, csv_file(request), request.request_id
    )
    return {"async_action_id": action_id}


@routes.post("/v1/products/importCSV", max_body=MAX_BULK_BYTES)
def import_products(request: ApiRequest) -> dict[str, Any]:
    """Queue a product import from a CSV file."""
    return import_csv(request, product_jobs.PRODUCTS_CSV)


@routes.post("/v1/products/{productId}/skus")
def create_sku(request: ApiRequest) -> dict[str, Any]:
    """Add a SKU, or update the product's SKU with the same id or source_id."""
    change = SkuChange.of(given(request.json(SkuCreate)))
    ident = request.path["productId"]
    return sku(products.create_sku(request.uow, request.project_id, ident, change))


@routes.get("/v1/products/{productId}/skus")
def list_skus(request: ApiRequest) -> dict[str, Any]:
    """A page of the product's SKUs."""
    ident = request.path["productId"]
    rows, total = products.list_skus(
        request.uow, request.project_id, ident, list_window(request, "created_at")
    )
    return skus_list(rows, total)


@routes.put("/v1/products/{productId}/skus/{skuId}")
def update_sku(request: ApiRequest) -> dict[str, Any]:
    """Change the given fields of one of the product's SKUs."""
    change = SkuChange.of(given(request.json(SkuUpdate)))
    row = products.update_sku(
        request.uow, request.project_id, request.path["productId"], request.path["skuId"], change
    )
    return sku(row)


@routes.delete("/v1/products/{productId}/skus/{skuId}", status=204)
def delete_sku(request: ApiRequest) -> None:
    """Remove one of the product's SKUs; it goes to the bin unless ``force=true``."""
    binned = not bool_param(request.query, "force")
    path = request.path
    products.delete_sku(
        request.uow, request.project_id, path["productId"], path["skuId"], binned=binned
    )
