"""Bulk work on products as async actions: bulk update, bulk metadata, product and SKU CSV imports.

Each ``enqueue_*`` validates what can be checked up front (a CSV's header) and queues the
action; the handlers run on :mod:`openvoucher.platform.bulk_jobs` (batches, progress, resume,
failures reported in the action's result).
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.domain import product_csv
from openvoucher.catalog.domain.product_csv import CsvError, CsvRow
from openvoucher.catalog.metadata_schemas import typed_text
from openvoucher.catalog.model import ProductChange, SkuChange
from openvoucher.catalog.products import find_product, find_sku, upsert_product, upsert_sku
from openvoucher.kernel.errors import InvalidPayload, VoucherifyError
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import bulk_jobs
from openvoucher.platform.async_actions import Job

BULK_UPDATE = "PRODUCTS.BULK_UPDATE"
METADATA_UPDATE = "PRODUCTS.METADATA_UPDATE"
PRODUCTS_CSV = "PRODUCTS.IMPORT_CSV"
SKUS_CSV = "SKUS.IMPORT_CSV"


def enqueue_bulk_update(
    uow: UnitOfWork, project_id: str, items: list[dict[str, Any]], request_id: str | None = None
) -> str:
    """Queue ``PRODUCTS.BULK_UPDATE``: upsert each product by ``source_id``."""
    return bulk_jobs.enqueue(uow, project_id, BULK_UPDATE, {"products": items}, request_id)


def enqueue_metadata_update(
    uow: UnitOfWork,
    project_id: str,
    source_ids: list[str],
    metadata: dict[str, Any],
    request_id: str | None = None,
) -> str:
    """Queue ``PRODUCTS.METADATA_UPDATE``: merge ``metadata`` into each listed product."""
    request = {"source_ids": source_ids, "metadata": metadata}
    return bulk_jobs.enqueue(uow, project_id, METADATA_UPDATE, request, request_id)


def enqueue_csv(
    uow: UnitOfWork, project_id: str, kind: str, raw: bytes, request_id: str | None = None
) -> str:
    """Queue a product (``PRODUCTS.IMPORT_CSV``) or SKU (``SKUS.IMPORT_CSV``) import."""
    required = product_csv.PRODUCT_REQUIRED if kind == PRODUCTS_CSV else product_csv.SKU_REQUIRED
    try:
        text = product_csv.decode(raw)
        product_csv.header(text, required)
    except CsvError as exc:
        raise InvalidPayload("Invalid CSV file", str(exc)) from exc
    return bulk_jobs.enqueue(uow, project_id, kind, {"csv": text}, request_id)


def run_bulk_update(job: Job) -> None:
    """The ``PRODUCTS.BULK_UPDATE`` handler."""

    def apply(tx: Tx, item: dict[str, Any]) -> dict[str, Any] | None:
        try:
            upsert_product(tx, ProductChange.of({k: v for k, v in item.items() if k != "id"}))
        except VoucherifyError as exc:
            return bulk_jobs.error_entry(exc, source_id=str(item.get("source_id")))
        return None

    bulk_jobs.run_batches(job, list(job.request.get("products") or []), apply)


def run_metadata_update(job: Job) -> None:
    """The ``PRODUCTS.METADATA_UPDATE`` handler: unknown source ids become new products."""
    metadata = dict(job.request.get("metadata") or {})

    def apply(tx: Tx, source_id: str) -> dict[str, Any] | None:
        existing = find_product(tx, source_id)
        merged = {**((existing.metadata if existing else None) or {}), **metadata}
        try:
            upsert_product(tx, ProductChange.of({"source_id": source_id, "metadata": merged}))
        except VoucherifyError as exc:
            return bulk_jobs.error_entry(exc, source_id=source_id)
        return None

    bulk_jobs.run_batches(job, list(job.request.get("source_ids") or []), apply)


def run_products_csv(job: Job) -> None:
    """The ``PRODUCTS.IMPORT_CSV`` handler: new source ids are created, known ones renamed."""

    def apply(tx: Tx, row: CsvRow) -> None:
        fields = dict(row.fields)
        if "metadata" in fields:
            fields["metadata"] = typed_text(tx, "product", fields["metadata"])
        if row.source_id and find_product(tx, row.source_id) is not None:
            fields = {"source_id": row.source_id, "name": fields["name"]}
        upsert_product(tx, ProductChange.of(fields))

    bulk_jobs.run_csv_rows(job, product_csv.product_rows(job.request["csv"]), apply)


def run_skus_csv(job: Job) -> None:
    """The ``SKUS.IMPORT_CSV`` handler: SKUs join the product named by ``product_id``
    (its id or source id); a known SKU source id only gets its ``sku`` and ``price`` updated."""

    def apply(tx: Tx, row: CsvRow) -> None:
        fields = dict(row.fields)
        product = find_product(tx, fields.pop("product_id"))
        if product is None:
            raise InvalidPayload("Product not found", "The product_id matches no product")
        if find_sku(tx, fields["source_id"]) is not None:
            fields = {k: v for k, v in fields.items() if k in ("source_id", "sku", "price")}
        upsert_sku(tx, product, SkuChange.of(fields))

    bulk_jobs.run_csv_rows(job, product_csv.sku_rows(job.request["csv"]), apply)
