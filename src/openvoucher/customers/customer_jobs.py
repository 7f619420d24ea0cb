"""Bulk work on customers as async actions: ``CUSTOMERS.BULK_UPDATE`` (upsert by
``source_id``), ``CUSTOMERS.METADATA_UPDATE`` (merge metadata; unknown source ids become new
customers) and ``CUSTOMERS.IMPORT_CSV``.

Each customer goes through :func:`customers.upsert`, so the customer metadata schema applies
and ``customer.created``/``customer.updated`` are emitted as ``POST /v1/customers`` does.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.domain.product_csv import CsvError, CsvRow
from openvoucher.catalog.metadata_schemas import typed_text
from openvoucher.customers import customers
from openvoucher.customers.domain import customer_csv
from openvoucher.customers.repositories.customers import CustomerRepository
from openvoucher.kernel.errors import InvalidPayload, VoucherifyError
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import async_actions, bulk_jobs
from openvoucher.platform.async_actions import Job

BULK_UPDATE = "CUSTOMERS.BULK_UPDATE"
METADATA_UPDATE = "CUSTOMERS.METADATA_UPDATE"
IMPORT_CSV = "CUSTOMERS.IMPORT_CSV"


def enqueue_bulk_update(
    uow: UnitOfWork, project_id: str, items: list[dict[str, Any]], request_id: str | None = None
) -> str:
    """Queue ``CUSTOMERS.BULK_UPDATE``: upsert each customer by ``source_id``."""
    return bulk_jobs.enqueue(uow, project_id, BULK_UPDATE, {"customers": items}, request_id)


def enqueue_metadata_update(
    uow: UnitOfWork,
    project_id: str,
    source_ids: list[str],
    metadata: dict[str, Any],
    request_id: str | None = None,
) -> str:
    """Queue ``CUSTOMERS.METADATA_UPDATE``: merge ``metadata`` into each listed customer."""
    request = {"source_ids": source_ids, "metadata": metadata}
    return bulk_jobs.enqueue(uow, project_id, METADATA_UPDATE, request, request_id)


def enqueue_csv(uow: UnitOfWork, project_id: str, raw: bytes, request_id: str | None = None) -> str:
    """Queue ``CUSTOMERS.IMPORT_CSV`` after checking the file's encoding and header."""
    try:
        text = customer_csv.decode(raw)
        customer_csv.header(text)
    except CsvError as exc:
        raise InvalidPayload("Invalid CSV file", str(exc)) from exc
    return bulk_jobs.enqueue(uow, project_id, IMPORT_CSV, {"csv": text}, request_id)


def _upsert(tx: Tx, fields: dict[str, Any]) -> dict[str, Any] | None:
    try:
        customers.upsert(tx, fields)
    except VoucherifyError as exc:
        return bulk_jobs.error_entry(exc, source_id=str(fields.get("source_id")))
    return None


def run_bulk_update(job: Job) -> None:
    """The ``CUSTOMERS.BULK_UPDATE`` handler."""

    def apply(tx: Tx, item: dict[str, Any]) -> dict[str, Any] | None:
        return _upsert(tx, {k: v for k, v in item.items() if k != "id"})

    bulk_jobs.run_batches(job, list(job.request.get("customers") or []), apply)


def run_metadata_update(job: Job) -> None:
    """The ``CUSTOMERS.METADATA_UPDATE`` handler."""
    metadata = dict(job.request.get("metadata") or {})

    def apply(tx: Tx, source_id: str) -> dict[str, Any] | None:
        existing = CustomerRepository(tx.conn, tx.project_id).get_by_source_id(source_id)
        merged = {**((existing or {}).get("attrs", {}).get("metadata") or {}), **metadata}
        return _upsert(tx, {"source_id": source_id, "metadata": merged})

    bulk_jobs.run_batches(job, list(job.request.get("source_ids") or []), apply)


def run_csv(job: Job) -> None:
    """The ``CUSTOMERS.IMPORT_CSV`` handler: rows with a known source id update that customer."""

    def apply(tx: Tx, row: CsvRow) -> None:
        fields = dict(row.fields)
        if "metadata" in fields:
            fields["metadata"] = typed_text(tx, "customer", fields["metadata"])
        if "metadata" in fields and row.source_id:
            existing = CustomerRepository(tx.conn, tx.project_id).get_by_source_id(row.source_id)
            old = (existing or {}).get("attrs", {}).get("metadata") or {}
            fields["metadata"] = {**old, **fields["metadata"]}
        customers.upsert(tx, fields)

    bulk_jobs.run_csv_rows(job, customer_csv.rows(job.request["csv"]), apply)


async_actions.register(BULK_UPDATE, run_bulk_update)
async_actions.register(METADATA_UPDATE, run_metadata_update)
async_actions.register(IMPORT_CSV, run_csv)
