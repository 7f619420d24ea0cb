"""The pending points activation job: entries whose day has come join the card's balance.

``activate_due_pending_points`` works in batches, one transaction per batch and project; each
due entry becomes a ``PENDING_POINTS_ACTIVATION`` transaction (``pending_points.activate``,
operation AUTOMATIC, source ``Automation``). An entry whose card is gone is canceled silently.
The :class:`PendingPointsWorker` runs it in the background on the injected clock's time, as
``PointsExpirationWorker`` runs the expiration job; time travel (``platform.dev_clock``) runs
it at each stop, before the expiration job.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime

from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import pending_points
from openvoucher.loyalty.domain import pending_points as rules
from openvoucher.loyalty.repositories import pending_points as repo
from openvoucher.platform.periodic import PeriodicJob, in_every_project

log = logging.getLogger("openvoucher.loyalty")

BATCH = 200


def activate_due_pending_points(
    uow: UnitOfWork, project_id: str | None, now: datetime, *, exclude: Collection[str] = ()
) -> int:
    """Activate every entry due at ``now`` (of one project, or of all but ``exclude``); how
    many entries were activated."""
    total = 0
    while True:
        project = project_id or _next_project(uow, now, exclude)
        if project is None:
            return total
        seen, activated = _activate_batch(uow, project, now)
        if seen == 0:
            return total
        total += activated


def activate_all_due(uow: UnitOfWork, now: datetime) -> int:
    """Activate what is due in every project: at ``now``, or at a project's own time when
    its dev clock is its own."""
    return in_every_project(uow, now, activate_due_pending_points)


def _next_project(uow: UnitOfWork, now: datetime, exclude: Collection[str]) -> str | None:
    with uow.read("") as tx:
        return repo.next_due_project(tx.conn, now, exclude)


def _activate_batch(uow: UnitOfWork, project_id: str, now: datetime) -> tuple[int, int]:
    """Settle one batch of due entries: how many were due, how many were activated."""
    with uow.write(project_id) as tx:
        due = repo.PendingPointsRepository(tx.conn, tx.project_id).due_ids(now, BATCH)
        activated = sum(_activate_one(tx, entry_id) for entry_id in due)
        return len(due), activated


def _activate_one(tx: Tx, entry_id: str) -> int:
    """Activate one due entry (1); cancel it when its card is gone, or skip it when another
    transaction settled it first (0)."""
    entries = repo.PendingPointsRepository(tx.conn, tx.project_id)
    first = entries.get(entry_id)
    if first is None:
        return 0
    card = VoucherRepository(tx.conn, tx.project_id).get_locked(first["voucher_id"])
    row = entries.get_locked(entry_id)
    if row is None or row["status"] != rules.PENDING:
        return 0
    if card is None or card["type"] != "LOYALTY_CARD":
        entries.update(entry_id, {"status": rules.CANCELED, "updated_at": tx.now})
        return 0
    pending_points.activate(tx, card, row, operation="AUTOMATIC", source="Automation")
    return 1


class PendingPointsWorker(PeriodicJob):
    """Runs :func:`activate_all_due` every ``interval`` seconds on a background thread."""

    thread_name = "pending-points"
    done = "activated %d pending points entries"
    failed = "pending points activation failed"

    def job(self, now: datetime) -> int:
        """One pass at ``now``."""
        return activate_all_due(self.uow, now)
