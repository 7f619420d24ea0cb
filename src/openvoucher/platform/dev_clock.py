"""Time travel (dev features only): show, set, advance, freeze a project's clock.

Moving the clock forward runs everything that fell due in between, in order, on the code paths
real time uses: the clock stops at each instant something is due (a loyalty point bucket
expires, pending points are to be activated, a webhook retry falls due), the pending points
activation job and then the points expiration job run at that instant, the relay
is woken and the step waits until every event is fanned out and every due sendout attempted
(its attempt and any retry are recorded at that instant), and queued async actions have run.
Only then does the clock move on. Vouchers' start and expiration dates need no job: validation
compares them with ``tx.now``.

Each project has its own clock (a project that never moved its clock follows the server's):
a move runs that project's due work at that project's time, and leaves every other project's
time and work alone. See docs/adr/0007-dev-clock.md.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from openvoucher.adapters.clock import ProjectClocks
from openvoucher.kernel.clock import iso
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty.pending_points_activation import (
    PendingPointsWorker,
    activate_due_pending_points,
)
from openvoucher.loyalty.period_tiers import TierExpiryWorker, expire_due_tiers
from openvoucher.loyalty.period_tiers import next_due as next_tier_expiry
from openvoucher.loyalty.points_expiration import PointsExpirationWorker, expire_due_points
from openvoucher.platform.domain.durations import Duration
from openvoucher.platform.repositories import dev_clock as repo

MAX_STEPS = 10_000
"""A bound on stops per move (each due instant is one stop)."""

_MOVING = threading.Lock()


class Wakeable(Protocol):
    """A background worker that can be asked to look for work now."""

    def wake(self) -> None:
        """Look for work now."""


@dataclass
class Machinery:
    """What moving time touches: the project's clock, the database, the background workers."""

    uow: UnitOfWork
    clocks: ProjectClocks
    project_id: str
    relay: Wakeable | None = None
    actions: Wakeable | None = None
    points: PointsExpirationWorker | None = None
    pending: PendingPointsWorker | None = None
    tiers: TierExpiryWorker | None = None
    settle_timeout: float = 60.0

    @classmethod
    def of(cls, container: Any, project_id: str) -> Machinery:
        """The machinery of ``project_id``'s clock in a wired container (with dev features)."""
        from openvoucher.platform.async_actions import AsyncActionRunner
        from openvoucher.webhooks.relay import Relay

        clocks = container.uow.times
        if not isinstance(clocks, ProjectClocks):
            raise VoucherifyError(
                "Time travel unavailable",
                "The server's clock is the system clock; start it with --dev",
                key="dev_features_disabled",
                status=409,
            )
        found = {type(worker): worker for worker in container.background}
        return cls(
            uow=container.uow,
            clocks=clocks,
            project_id=project_id,
            relay=found.get(Relay),
            actions=found.get(AsyncActionRunner),
            points=found.get(PointsExpirationWorker),
            pending=found.get(PendingPointsWorker),
            tiers=found.get(TierExpiryWorker),
        )


@dataclass
class Step:
    """One stop of a move: the instant and what ran there."""

    at: datetime
    expired_point_buckets: int = 0
    activated_pending_points: int = 0

    def render(self) -> dict[str, Any]:
        """JSON shape."""
        return {
            "at": iso(self.at),
            "expired_point_buckets": self.expired_point_buckets,
            "activated_pending_points": self.activated_pending_points,
        }


@dataclass
class Move:
    """The outcome of a move: where it started, every stop, and what is still open."""

    started_at: datetime
    steps: list[Step] = field(default_factory=list)
    open_work: repo.OpenWork | None = None


def status(machinery: Machinery, move: Move | None = None) -> dict[str, Any]:
    """The project's clock as the API shows it (with the stops of a move just made)."""
    clocks, project_id = machinery.clocks, machinery.project_id
    body: dict[str, Any] = {
        "object": "dev_clock",
        "scope": "project",
        "project_id": project_id,
        "now": iso(clocks.now_for(project_id)),
        "frozen": clocks.frozen(project_id),
        "own": clocks.state(project_id) is not None,
    }
    if move is not None:
        body["moved_from"] = iso(move.started_at)
        body["steps"] = [step.render() for step in move.steps]
        body["pending"] = _pending(move.open_work)
    return body


def _pending(work: repo.OpenWork | None) -> dict[str, int]:
    if work is None:
        return {}
    return {
        "undispatched_events": work.undispatched_events,
        "due_sendouts": work.due_sendouts,
        "sendouts_in_flight": work.sendouts_in_flight,
        "unfinished_async_actions": work.unfinished_actions,
    }


def advance(machinery: Machinery, duration: Duration) -> Move:
    """Move forward by ``duration``, running what falls due on the way."""
    return travel(machinery, duration.after(machinery.clocks.now_for(machinery.project_id)))


def freeze(machinery: Machinery, frozen: bool) -> None:
    """Stop the project's clock at its current instant, or let it run on from there."""
    with _MOVING:
        if frozen:
            machinery.clocks.freeze(machinery.project_id)
        else:
            machinery.clocks.unfreeze(machinery.project_id)
        _save(machinery)


def reset(machinery: Machinery) -> None:
    """Return the project to real time: its own setting is dropped, here and in the database
    (a time travelled back to now runs nothing; what fell due in between stays done)."""
    with _MOVING:
        machinery.clocks.reset(machinery.project_id)
        _save(machinery)


def travel(machinery: Machinery, target: datetime) -> Move:
    """Go to ``target``. Forward: stop at each due instant in order. Backward: just jump."""
    clocks, project_id = machinery.clocks, machinery.project_id
    with (
        _MOVING,
        _paused(machinery.points),
        _paused(machinery.pending),
        _paused(machinery.tiers),
    ):
        move = Move(started_at=clocks.now_for(project_id))
        try:
            if target <= move.started_at:
                clocks.set(project_id, target)
                return move
            _run_due(machinery, move, move.started_at, record=False)
            while len(move.steps) < MAX_STEPS:
                with machinery.uow.read(project_id) as tx:
                    due = _next_due(tx, target)
                if due is None:
                    break
                clocks.set(project_id, due)
                _run_due(machinery, move, due)
            clocks.set(project_id, target)
            move.open_work = _run_due(machinery, move, target)
            return move
        finally:
            _save(machinery)


def _save(machinery: Machinery) -> None:
    """Persist the project's clock setting (a restarted server keeps the project's time)."""
    project_id = machinery.project_id
    with machinery.uow.write(project_id) as tx:
        repo.save_project_clock(tx.conn, project_id, machinery.clocks.state(project_id), tx.now)


@contextmanager
def _paused(
    worker: PointsExpirationWorker | PendingPointsWorker | TierExpiryWorker | None,
) -> Iterator[None]:
    """Hold a periodic job off; the move runs it at each stop itself."""
    with worker.paused() if worker is not None else contextlib.nullcontext():
        yield


def _run_due(
    machinery: Machinery, move: Move, at: datetime, *, record: bool = True
) -> repo.OpenWork:
    """Run what is due at ``at`` and wait until the webhooks and actions it caused settle."""
    project_id = machinery.project_id
    now = machinery.clocks.now_for(project_id)
    # build/loyalty-points.mdx, "Point and tier calculation on a new day": pending points,
    # then expiring tiers, then point expiry (and the tiers the balance then gives).
    activated = activate_due_pending_points(machinery.uow, project_id, now)
    expire_due_tiers(machinery.uow, project_id, now)
    expired = expire_due_points(machinery.uow, project_id, now)
    if record or expired or activated:
        move.steps.append(
            Step(at, expired_point_buckets=expired, activated_pending_points=activated)
        )
    return _settle(machinery)


def _next_due(tx: Tx, target: datetime) -> datetime | None:
    """The project's next due instant up to ``target``: point buckets, pending points and
    sendout retries, or a period tier grant's expiry."""
    found = [
        repo.next_due(tx.conn, tx.project_id, tx.now, target),
        next_tier_expiry(tx, tx.now, target),
    ]
    times = [at for at in found if at is not None]
    return min(times) if times else None


def _settle(machinery: Machinery) -> repo.OpenWork:
    deadline = time.monotonic() + machinery.settle_timeout
    while True:
        for worker in (machinery.relay, machinery.actions):
            if worker is not None:
                worker.wake()
        with machinery.uow.read(machinery.project_id) as tx:
            work = repo.open_work(tx.conn, tx.project_id, tx.now)
        webhooks_done = machinery.relay is None or work.webhooks_settled
        actions_done = machinery.actions is None or work.unfinished_actions == 0
        if (webhooks_done and actions_done) or time.monotonic() > deadline:
            return work
        time.sleep(0.02)
