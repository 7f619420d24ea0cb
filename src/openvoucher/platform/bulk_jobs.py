"""The machinery of bulk async actions (bulk updates, metadata updates, CSV imports).

``enqueue`` queues an action in one transaction. Handlers feed their items or CSV rows to
:func:`run_batches` / :func:`run_csv_rows`, which work in batches, one transaction each,
recording progress with the batch, so a restarted runner resumes after the last committed
batch. Item failures are reported in the action's result, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from openvoucher.catalog.domain.product_csv import CsvRow
from openvoucher.kernel.errors import InvalidPayload, VoucherifyError
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import async_actions
from openvoucher.platform.async_actions import Job

BATCH = 200

Apply = Callable[[Tx, Any], dict[str, Any] | None]
"""Does one item in the batch's transaction; returns an error entry, or None when done.
It checks before it writes: a failing item must leave nothing behind (no savepoints)."""


def enqueue(
    uow: UnitOfWork, project_id: str, kind: str, request: dict[str, Any], request_id: str | None
) -> str:
    """Queue an action of type ``kind``; its id."""
    with uow.write(project_id) as tx:
        return async_actions.enqueue(tx, kind, request, request_id).id


def error_entry(exc: VoucherifyError, **ident: str) -> dict[str, Any]:
    """A result ``errors`` item: ``message``, ``details``, ``key`` and the item's identifier."""
    return {"message": exc.message, "details": exc.details, "key": exc.key, **ident}


def run_batches(job: Job, items: list[Any], apply: Apply) -> None:
    """Apply ``apply`` to ``items`` in batches.

    The result counts ``done_count`` and ``failed_count`` and lists ``errors``.
    """
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


def run_csv_rows(job: Job, rows: Iterator[CsvRow], apply: Callable[[Tx, CsvRow], None]) -> None:
    """Import CSV ``rows`` in batches.

    The result counts ``done_count`` and ``failed_count``, lists ``failed`` rows, and has a
    ``message``.
    """
    result: dict[str, Any] = {"done_count": 0, "failed_count": 0, "failed": [], **job.result}
    rest = islice(rows, result["done_count"] + result["failed_count"], None)
    while True:
        batch = list(islice(rest, BATCH))
        with job.uow.write(job.project_id) as tx:
            for row in batch:
                failure = _import_row(tx, row, apply)
                if failure is None:
                    result["done_count"] += 1
                else:
                    result["failed_count"] += 1
                    result["failed"].append(failure)
            result["message"] = _csv_message(result)
            if len(batch) == BATCH:
                job.checkpoint(tx, 50, result)
                continue
            job.complete(tx, result)
            return


def _import_row(tx: Tx, row: CsvRow, apply: Callable[[Tx, CsvRow], None]) -> dict[str, Any] | None:
    try:
        if row.error is not None:
            raise InvalidPayload(row.error)
        apply(tx, row)
    except VoucherifyError as exc:
        return _row_failure(row, exc)
    return None


def _row_failure(row: CsvRow, exc: VoucherifyError) -> dict[str, Any]:
    failure: dict[str, Any] = {"row": row.line}
    if row.source_id:
        failure["source_id"] = row.source_id
    failure["reason"] = exc.details
    return failure


def _csv_message(result: dict[str, Any]) -> str:
    done, failed = result["done_count"], result["failed_count"]
    return f"{done} row(s) imported, {failed} row(s) failed"
