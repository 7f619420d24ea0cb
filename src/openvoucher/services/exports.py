"""Exports of a gift or loyalty card's transactions: an async action writes a CSV we serve.

``POST /v1/vouchers/{code}/transactions/export`` records the export (``SCHEDULED``) and
queues the action; the runner writes the file and marks the export ``DONE``. The file is then
served at ``result.url`` (``GET /v1/exports/{id}?token=…``, still behind the project's keys).
"""

from __future__ import annotations

import csv
import hmac
import io
from typing import Any

from openvoucher.adapters.db.repositories.exports import ExportRepository
from openvoucher.adapters.db.repositories.voucher_transactions import (
    VoucherTransactionRepository,
)
from openvoucher.domain.errors import InvalidPayload, NotFound
from openvoucher.domain.ids import new_id, random_token
from openvoucher.presenters.exports import TRANSACTION_FIELDS, download_url, transaction_cell
from openvoucher.services import async_actions, vouchers
from openvoucher.services.unit_of_work import Tx, UnitOfWork

TRANSACTIONS = "voucher_transactions.export"
ORDERS = ("-created_at", "created_at")


def _parameters(voucher_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    given = fields.get("parameters") or {}
    order = given.get("order") or "-created_at"
    if order not in ORDERS:
        raise InvalidPayload(
            "Invalid payload", "parameters.order must be -created_at or created_at"
        )
    columns = given.get("fields") or list(TRANSACTION_FIELDS)
    unknown = [name for name in columns if name not in TRANSACTION_FIELDS]
    if unknown:
        raise InvalidPayload(
            "Invalid payload",
            f"Unknown export fields: {', '.join(unknown)}; "
            f"available: {', '.join(TRANSACTION_FIELDS)}",
        )
    return {
        "order": order,
        "fields": columns,
        "filters": {"voucher_id": {"conditions": {"$in": [voucher_id]}}},
    }


def export_transactions(
    uow: UnitOfWork, project_id: str, code: str, fields: dict[str, Any], request_id: str
) -> dict[str, Any]:
    """Schedule a CSV of a card's gift or loyalty transactions; the export (``SCHEDULED``)."""
    with uow.write(project_id) as tx:
        voucher = vouchers.require(tx, code)
        row = {
            "id": new_id("export"),
            "exported_object": "voucher_transactions",
            "status": "SCHEDULED",
            "channel": "API",
            "parameters": _parameters(voucher["id"], fields),
            "token": random_token(32),
            "content": None,
            "created_at": tx.now,
            "updated_at": None,
        }
        action = async_actions.enqueue(tx, TRANSACTIONS, {"export_id": row["id"]}, request_id)
        row["async_action_id"] = action["id"]
        ExportRepository(tx.conn, tx.project_id).insert(row)
        return row


def get(uow: UnitOfWork, project_id: str, export_id: str) -> dict[str, Any]:
    """One export, or 404."""
    with uow.read(project_id) as tx:
        row = ExportRepository(tx.conn, tx.project_id).get(export_id)
    if row is None:
        raise NotFound("export", export_id)
    return row


def download(uow: UnitOfWork, project_id: str, export_id: str, token: str) -> str:
    """The file of a finished export, for the token of its ``result.url``; else 404."""
    with uow.read(project_id) as tx:
        repo = ExportRepository(tx.conn, tx.project_id)
        row = repo.get(export_id)
        valid = row is not None and hmac.compare_digest(row["token"], token)
        content = repo.content(export_id) if valid and row and row["status"] == "DONE" else None
    if content is None:
        raise NotFound("export file", export_id)
    return content


def _csv(tx: Tx, parameters: dict[str, Any]) -> tuple[str, int]:
    voucher_id = parameters["filters"]["voucher_id"]["conditions"]["$in"][0]
    columns: list[str] = parameters["fields"]
    repo = VoucherTransactionRepository(tx.conn, tx.project_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in repo.each(voucher_id, newest_first=parameters["order"].startswith("-")):
        writer.writerow([transaction_cell(row, name) for name in columns])
        count += 1
    return out.getvalue(), count


def _run(job: async_actions.Job) -> None:
    export_id = job.request["export_id"]
    with job.uow.write(job.project_id) as tx:
        ExportRepository(tx.conn, tx.project_id).update(
            export_id, {"status": "IN_PROGRESS", "updated_at": tx.now}
        )
    with job.uow.read(job.project_id) as tx:
        row = ExportRepository(tx.conn, tx.project_id).get(export_id)
        assert row is not None
        content, count = _csv(tx, row["parameters"])
    with job.uow.write(job.project_id) as tx:
        ExportRepository(tx.conn, tx.project_id).update(
            export_id, {"status": "DONE", "content": content, "updated_at": tx.now}
        )
        url = download_url(job.uow.base_url, row)
        job.complete(tx, {"export_id": export_id, "url": url, "rows": count})


def _failed(tx: Tx, action: dict[str, Any]) -> None:
    ExportRepository(tx.conn, tx.project_id).update(
        action["request"]["export_id"], {"status": "ERROR", "updated_at": tx.now}
    )


async_actions.register(TRANSACTIONS, _run, _failed)
