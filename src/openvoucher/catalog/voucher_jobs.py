"""Bulk work on vouchers as async actions: ``VOUCHERS.BULK_UPDATE`` (metadata per code) and
``VOUCHERS.METADATA_UPDATE`` (the same metadata for many codes).

Both merge the given keys into each voucher's metadata (the voucher metadata schema applies)
and emit ``voucher.updated`` as ``PUT /v1/vouchers/{code}`` does. Codes are never upserted:
an unknown code is an error entry in the action's result.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import vouchers
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import async_actions, bulk_jobs
from openvoucher.platform.async_actions import Job

BULK_UPDATE = "VOUCHERS.BULK_UPDATE"
METADATA_UPDATE = "VOUCHERS.METADATA_UPDATE"


def enqueue_bulk_update(
    uow: UnitOfWork, project_id: str, items: list[dict[str, Any]], request_id: str | None = None
) -> str:
    """Queue ``VOUCHERS.BULK_UPDATE``: merge each item's ``metadata`` into its ``code``."""
    return bulk_jobs.enqueue(uow, project_id, BULK_UPDATE, {"vouchers": items}, request_id)


def enqueue_metadata_update(
    uow: UnitOfWork,
    project_id: str,
    codes: list[str],
    metadata: dict[str, Any],
    request_id: str | None = None,
) -> str:
    """Queue ``VOUCHERS.METADATA_UPDATE``: merge ``metadata`` into each listed voucher."""
    request = {"codes": codes, "metadata": metadata}
    return bulk_jobs.enqueue(uow, project_id, METADATA_UPDATE, request, request_id)


def _merge(tx: Tx, code: str, metadata: dict[str, Any]) -> dict[str, Any] | None:
    try:
        row = vouchers.require(tx, code)
        merged = {**(row["attrs"].get("metadata") or {}), **metadata}
        vouchers.apply_update(tx, row, {"metadata": merged})
    except VoucherifyError as exc:
        return bulk_jobs.error_entry(exc, code=code)
    return None


def run_bulk_update(job: Job) -> None:
    """The ``VOUCHERS.BULK_UPDATE`` handler."""

    def apply(tx: Tx, item: dict[str, Any]) -> dict[str, Any] | None:
        return _merge(tx, str(item["code"]), dict(item.get("metadata") or {}))

    bulk_jobs.run_batches(job, list(job.request.get("vouchers") or []), apply)


def run_metadata_update(job: Job) -> None:
    """The ``VOUCHERS.METADATA_UPDATE`` handler."""
    metadata = dict(job.request.get("metadata") or {})

    def apply(tx: Tx, code: str) -> dict[str, Any] | None:
        return _merge(tx, code, metadata)

    bulk_jobs.run_batches(job, list(job.request.get("codes") or []), apply)


async_actions.register(BULK_UPDATE, run_bulk_update)
async_actions.register(METADATA_UPDATE, run_metadata_update)
