"""``POST /v1/orders/import``: historical orders, imported by an async action.

As Voucherify documents it, imported orders fire nothing: no events or webhooks (for the
orders or the customers they upsert) and no ``order.paid`` earning rules, even for PAID
orders; customers' order figures are updated. Orders are upserted by ``source_id`` and get
the import's time as ``created_at``. The list is staged in parts with the action (as voucher
imports are) and imported part by part, one transaction each; orders are independent: one
that cannot be imported (an unknown ``id`` or ``customer_id`` …) is counted in
``failed_count`` and listed in ``failed`` (the first 1000) and the others are imported.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import imports
from openvoucher.catalog.imports import PART_ROWS
from openvoucher.catalog.repositories.imports import ImportPartRepository
from openvoucher.checkout import orders
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import async_actions
from openvoucher.platform.async_actions import Job

ORDERS_IMPORT = "ORDERS.IMPORT"
MAX_ORDERS = 2000
"""Orders one request may import."""


def start(
    uow: UnitOfWork, project_id: str, items: list[dict[str, Any]], request_id: str | None
) -> str:
    """Stage the orders and queue their import; the async action's id."""
    with uow.write(project_id) as tx:
        action_id = async_actions.enqueue(tx, ORDERS_IMPORT, {}, request_id).id
        parts = ImportPartRepository(tx.conn, tx.project_id)
        for number, first in enumerate(range(0, len(items), PART_ROWS)):
            parts.add(action_id, number, first + 1, items[first : first + PART_ROWS])
        return action_id


def _import(tx: Tx, number: int, spec: dict[str, Any]) -> dict[str, Any] | None:
    """One order in a savepoint, so a failure leaves the others; the failure, if any."""
    emitted = len(tx.events)
    try:
        with tx.conn.begin_nested():
            orders.upsert(tx, spec, quiet=True)
    except VoucherifyError as error:
        return {"row": number, "source_id": spec.get("source_id"), "reason": error.details}
    finally:
        del tx.events[emitted:]  # customers upserted by an import emit nothing either
    return None


def _import_part(tx: Tx, staged: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
    failed = []
    for offset, spec in enumerate(staged["rows"]):
        failure = _import(tx, staged["first_row"] + offset, spec)
        if failure is not None:
            failed.append(failure)
    return len(staged["rows"]) - len(failed), failed


def run(job: Job) -> None:
    """Import part by part; each part and its progress in one transaction."""
    imports.run_parts(job, _import_part, "orders")
