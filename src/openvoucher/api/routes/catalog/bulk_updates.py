"""Bulk async updates of vouchers and customers, and the customer CSV import.

Each answers 202 with ``{"async_action_id"}``; ``GET /v1/async-actions/{id}`` reports progress
and the result.
"""

from __future__ import annotations

from typing import Any

from openvoucher.api.routes.catalog.products import MAX_BULK_BYTES, csv_file
from openvoucher.api.routing import ApiRequest, Routes, decode_json
from openvoucher.api.schemas.bulk import (
    BulkCustomer,
    CustomersMetadataUpdate,
    VoucherMetadataItem,
    VouchersMetadataUpdate,
)
from openvoucher.api.schemas.customers import given
from openvoucher.catalog import voucher_jobs
from openvoucher.customers import customer_jobs
from openvoucher.kernel.errors import InvalidPayload

routes = Routes()


VOUCHER_ITEMS: Any = list[VoucherMetadataItem] | dict[str, Any]
CUSTOMER_ITEMS: Any = list[BulkCustomer] | dict[str, Any]


def _items(request: ApiRequest, body_type: Any, what: str) -> list[dict[str, Any]]:
    """The body's array of items; no body or ``{}`` is an empty array."""
    body = decode_json(request.raw or b"[]", body_type)
    if isinstance(body, dict):
        if body:
            raise InvalidPayload("Invalid payload", f"The body must be an array of {what}")
        return []
    return [given(item) for item in body]


def _queued(action_id: str) -> dict[str, Any]:
    return {"async_action_id": action_id}


@routes.post("/v1/vouchers/bulk/async", status=202, max_body=MAX_BULK_BYTES)
def vouchers_bulk(request: ApiRequest) -> dict[str, Any]:
    """Queue a metadata merge per listed voucher code (codes are not upserted)."""
    items = _items(request, VOUCHER_ITEMS, "vouchers")
    return _queued(
        voucher_jobs.enqueue_bulk_update(request.uow, request.project_id, items, request.request_id)
    )


@routes.post("/v1/vouchers/metadata/async", status=202, max_body=MAX_BULK_BYTES)
def vouchers_metadata(request: ApiRequest) -> dict[str, Any]:
    """Queue the same metadata merge into every listed voucher."""
    body = request.json(VouchersMetadataUpdate)
    return _queued(
        voucher_jobs.enqueue_metadata_update(
            request.uow,
            request.project_id,
            body.codes or [],
            body.metadata or {},
            request.request_id,
        )
    )


@routes.post("/v1/customers/bulk/async", status=202, max_body=MAX_BULK_BYTES)
def customers_bulk(request: ApiRequest) -> dict[str, Any]:
    """Queue an upsert of each listed customer (by source_id)."""
    items = _items(request, CUSTOMER_ITEMS, "customers")
    return _queued(
        customer_jobs.enqueue_bulk_update(
            request.uow, request.project_id, items, request.request_id
        )
    )


@routes.post("/v1/customers/metadata/async", status=202, max_body=MAX_BULK_BYTES)
def customers_metadata(request: ApiRequest) -> dict[str, Any]:
    """Queue the same metadata merge into every listed customer (unknown ones are created)."""
    body = request.json(CustomersMetadataUpdate)
    return _queued(
        customer_jobs.enqueue_metadata_update(
            request.uow,
            request.project_id,
            body.source_ids or [],
            body.metadata or {},
            request.request_id,
        )
    )


@routes.post("/v1/customers/importCSV", status=202, max_body=MAX_BULK_BYTES)
def customers_csv(request: ApiRequest) -> dict[str, Any]:
    """Queue a customer import from the multipart ``file`` field."""
    raw = csv_file(request)
    return _queued(
        customer_jobs.enqueue_csv(request.uow, request.project_id, raw, request.request_id)
    )
