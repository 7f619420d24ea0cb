"""Bulk work on products as async actions: bulk update, bulk metadata, product and SKU CSV imports.

Each ``enqueue_*`` validates what can be checked up front (a CSV's header) and queues the
action in one transaction. Handlers work in batches, one transaction each, recording progress
with the batch; a restarted runner resumes after the last committed batch. Row failures are
reported in the action's result, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from openvoucher.domain import product_csv
from openvoucher.domain.errors import InvalidPayload, VoucherifyError
from openvoucher.domain.product_csv import CsvError, CsvRow
from openvoucher.services import async_actions
from openvoucher.services.async_actions import Job
from openvoucher.services.products import find_product, find_sku, upsert_product, upsert_sku
from openvoucher.services.unit_of_work import Tx, UnitOfWork

BULK_UPDATE = "PRODUCTS.BULK_UPDATE"
METADATA_UPDATE = "PRODUCTS.METADATA_UPDATE"
PRODUCTS_CSV = "PRODUCTS.IMPORT_CSV"
SKUS_CSV = "SKUS.IMPORT_CSV"
BATCH = 200


def _enqueue(
    uow: UnitOfWork, project_id: str, kind: str, request: dict[str, Any], request_id: str | None
) -> str:
    with uow.write(project_id) as tx:
        return str(async_actions.enqueue(tx, kind, request, request_id)["id"])


def enqueue_bulk_update(
    uow: UnitOfWork, project_id: str, items: list[dict[str, Any]], request_id: str | None = None
) -> str:
    """Queue ``PRODUCTS.BULK_UPDATE``: upsert each product by ``source_id``."""
    return _enqueue(uow, project_id, BULK_UPDATE, {"products": items}, request_id)


def enqueue_metadata_update(
    uow: UnitOfWork,
    project_id: str,
    source_ids: list[str],
    metadata: dict[str, Any],
    request_id: str | None = None,
) -> str:
    """Queue ``PRODUCTS.METADATA_UPDATE``: merge ``metadata`` into each listed product."""
    request = {"source_ids": source_ids, "metadata": metadata}
    return _enqueue(uow, project_id, METADATA_UPDATE, request, request_id)


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
    return _enqueue(uow, project_id, kind, {"csv": text}, request_id)


def _batches(job: Job, items: list[Any], apply: Callable[[Tx, Any], dict[str, Any] | None]) -> None:
    """Apply ``apply`` to ``items`` in batches; it returns an error entry or None."""
    result = {"done_count": 0, "failed_count": 0, "errors": [], **job.result}
    start = result["done_count"] + result["failed_count"]
    while True:
        with job.uow.write(job.project_id) as tx:
            for item in items[start : start + BATCH]:
                error = apply(tx, item)
                if error is None:
                    result["done_count"] += 1
                else:
                    result["failed_count"] += 1
                    result["errors"].append(error)
            start += BATCH
            if start < len(items):
                job.checkpoint(tx, start * 100 // len(items), result)
                continue
            job.complete(tx, result)
            return


def _error(exc: VoucherifyError, source_id: str) -> dict[str, Any]:
    return {"message": exc.message, "details": exc.details, "key": exc.key, "source_id": source_id}


def run_bulk_update(job: Job) -> None:
    """The ``PRODUCTS.BULK_UPDATE`` handler."""

    def apply(tx: Tx, item: dict[str, Any]) -> dict[str, Any] | None:
        try:
            upsert_product(tx, {k: v for k, v in item.items() if k != "id"})
        except VoucherifyError as exc:
            return _error(exc, str(item.get("source_id")))
        return None

    _batches(job, list(job.request.get("products") or []), apply)


def run_metadata_update(job: Job) -> None:
    """The ``PRODUCTS.METADATA_UPDATE`` handler: unknown source ids become new products."""
    metadata = dict(job.request.get("metadata") or {})

    def apply(tx: Tx, source_id: str) -> dict[str, Any] | None:
        existing = find_product(tx, source_id)
        merged = {**((existing or {}).get("attrs", {}).get("metadata") or {}), **metadata}
        try:
            upsert_product(tx, {"source_id": source_id, "metadata": merged})
        except VoucherifyError as exc:
            return _error(exc, source_id)
        return None

    _batches(job, list(job.request.get("source_ids") or []), apply)


def _csv_rows(job: Job, rows: Iterator[CsvRow], apply: Callable[[Tx, CsvRow], None]) -> None:
    result: dict[str, Any] = {"done_count": 0, "failed_count": 0, "failed": [], **job.result}
    rest = islice(rows, result["done_count"] + result["failed_count"], None)
    while True:
        batch = list(islice(rest, BATCH))
        with job.uow.write(job.project_id) as tx:
            for row in batch:
                try:
                    if row.error is not None:
                        raise InvalidPayload(row.error)
                    apply(tx, row)
                    result["done_count"] += 1
                except VoucherifyError as exc:
                    result["failed_count"] += 1
                    result["failed"].append(_row_failure(row, exc))
            result["message"] = _csv_message(result)
            if len(batch) == BATCH:
                job.checkpoint(tx, 50, result)
                continue
            job.complete(tx, result)
            return


def _row_failure(row: CsvRow, exc: VoucherifyError) -> dict[str, Any]:
    failure: dict[str, Any] = {"row": row.line}
    if row.source_id:
        failure["source_id"] = row.source_id
    failure["reason"] = exc.details
    return failure


def _csv_message(result: dict[str, Any]) -> str:
    done, failed = result["done_count"], result["failed_count"]
    return f"{done} row(s) imported, {failed} row(s) failed"


def run_products_csv(job: Job) -> None:
    """The ``PRODUCTS.IMPORT_CSV`` handler: new source ids are created, known ones renamed."""

    def apply(tx: Tx, row: CsvRow) -> None:
        fields = row.fields
        if row.source_id and find_product(tx, row.source_id) is not None:
            fields = {"source_id": row.source_id, "name": fields["name"]}
        upsert_product(tx, fields)

    _csv_rows(job, product_csv.product_rows(job.request["csv"]), apply)


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
        upsert_sku(tx, product, fields)

    _csv_rows(job, product_csv.sku_rows(job.request["csv"]), apply)


async_actions.register(BULK_UPDATE, run_bulk_update)
async_actions.register(METADATA_UPDATE, run_metadata_update)
async_actions.register(PRODUCTS_CSV, run_products_csv)
async_actions.register(SKUS_CSV, run_skus_csv)
