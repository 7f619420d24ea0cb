"""``/v1/skus``: a SKU by id, and SKU CSV imports."""

from __future__ import annotations

from typing import Any

from openvoucher.api.routes.catalog.products import MAX_BULK_BYTES, import_csv
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.catalog import product_jobs, products
from openvoucher.catalog.presenters.products import sku

routes = Routes()


@routes.get("/v1/skus/{skuId}")
def get_sku(request: ApiRequest) -> dict[str, Any]:
    """By id or source_id."""
    return sku(products.get_sku(request.uow, request.project_id, request.path["skuId"]))


@routes.post("/v1/skus/importCSV", max_body=MAX_BULK_BYTES)
def import_skus(request: ApiRequest) -> dict[str, Any]:
    """Queue a SKU import from a CSV file (products must exist first)."""
    return import_csv(request, product_jobs.SKUS_CSV)
