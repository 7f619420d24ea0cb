"""Async actions: queued bulk work, run in the background after commit, resumed after a crash.

A use case ``enqueue``s an action in its own transaction. The :class:`AsyncActionRunner`
(started with the app) claims due actions with a lease, runs the handler the action table
(built in ``bootstrap.async_action_table``) holds for the action's type, and records
progress in the same transactions as the work, so a restarted runner continues where the last
one stopped. Status is honest: ``ENQUEUED`` until claimed,
``IN_PROGRESS`` while running, then ``DONE`` or ``FAILED``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from openvoucher.kernel.errors import NotFound, VoucherifyError
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform.model import AsyncAction
from openvoucher.platform.repositories.async_actions import AsyncActionRepository, claim_next

log = logging.getLogger("openvoucher.async_actions")

LEASE = timedelta(seconds=30)


@dataclass
class Job:
    """What a handler gets: the action, its project, and a way to record progress."""

    uow: UnitOfWork
    action: AsyncAction
    started: float

    @property
    def project_id(self) -> str:
        """The project the action belongs to."""
        return self.action.project_id

    @property
    def request(self) -> dict[str, Any]:
        """The parameters the action was queued with."""
        return self.action.request

    @property
    def result(self) -> dict[str, Any]:
        """The result recorded so far (progress counters survive restarts)."""
        return dict(self.action.result or {})

    def checkpoint(self, tx: Tx, progress: int, result: dict[str, Any]) -> None:
        """Record progress in ``tx`` (the transaction doing the work) and renew the lease."""
        self.action = replace(
            self.action,
            progress=max(0, min(progress, 99)),
            result=result,
            updated_at=tx.now,
            locked_until=_wall_now() + LEASE,
        )
        values = {
            "progress": self.action.progress,
            "result": result,
            "updated_at": tx.now,
            "locked_until": self.action.locked_until,
        }
        AsyncActionRepository(tx.conn, tx.project_id).update(self.action.id, values)

    def complete(self, tx: Tx, result: dict[str, Any], operation_status: str = "SUCCESS") -> None:
        """Mark the action DONE in ``tx``, the transaction of its last piece of work
        (``operation_status`` FAILED: done, but some of the work could not be done)."""
        AsyncActionRepository(tx.conn, tx.project_id).update(
            self.action.id,
            {
                "status": "DONE",
                "operation_status": operation_status,
                "progress": 100,
                "result": result,
                "updated_at": tx.now,
                "locked_until": None,
                "processing_time": self.elapsed_ms(),
            },
        )

    def elapsed_ms(self) -> int:
        """Milliseconds this run has taken so far (plus earlier runs' recorded time)."""
        before = self.action.processing_time or 0
        return before + int((time.monotonic() - self.started) * 1000)


Run = Callable[[Job], None]
OnFailure = Callable[[Tx, AsyncAction], None]


class ActionHandler(NamedTuple):
    """What runs an action of one type, and what undoes its side effects when it fails."""

    run: Run
    on_failure: OnFailure | None = None


ActionTable = Mapping[str, ActionHandler]
"""Action type → its handler (``bootstrap.async_action_table``)."""


def enqueue(
    tx: Tx, kind: str, request: dict[str, Any], request_id: str | None = None
) -> AsyncAction:
    """Queue an action in ``tx``; it runs after the transaction commits."""
    action = AsyncAction(
        id=new_id("async_action"),
        project_id=tx.project_id,
        type=kind,
        status="ENQUEUED",
        operation_status=None,
        progress=0,
        request={**request, "request_id": request_id},
        result=None,
        created_at=tx.now,
    )
    AsyncActionRepository(tx.conn, tx.project_id).insert(action)
    tx.wake_relay()
    return action


def get(uow: UnitOfWork, project_id: str, action_id: str) -> AsyncAction:
    """One action, or 404."""
    with uow.read(project_id) as tx:
        row = AsyncActionRepository(tx.conn, tx.project_id).get(action_id)
    if row is None:
        raise NotFound("async_action", action_id)
    return row


def list_actions(
    uow: UnitOfWork, project_id: str, *, limit: int, end_date: datetime | None
) -> tuple[list[AsyncAction], bool]:
    """The newest actions and whether there are more."""
    with uow.read(project_id) as tx:
        rows = AsyncActionRepository(tx.conn, tx.project_id).page(
            limit=limit + 1, end_date=end_date
        )
    return rows[:limit], len(rows) > limit


def _wall_now() -> datetime:
    # Leases guard against dead runners, so they follow real time, not the (movable) clock.
    return datetime.now(UTC)


def run_next(uow: UnitOfWork, actions: ActionTable) -> bool:
    """Claim and run one due action with its handler in ``actions``; False when none was due."""
    with uow.write("") as tx:
        action = claim_next(tx.conn, _wall_now(), _wall_now() + LEASE)
    if action is None:
        return False
    job = Job(uow=uow, action=action, started=time.monotonic())
    outcome = "DONE"
    try:
        actions[action.type].run(job)
    except VoucherifyError as error:
        outcome = "FAILED"
        _fail(job, error.details, actions)
    except Exception:
        outcome = "FAILED"
        log.exception("async action %s failed", action.id)
        _fail(job, "The action failed unexpectedly", actions)
    fields: dict[str, object] = {"id": action.id, "type": action.type}
    fields["project_id"] = action.project_id
    fields.update(outcome=outcome, duration_ms=job.elapsed_ms())
    log.info("async action ran", extra={"fields": fields})
    return True


def _fail(job: Job, message: str, actions: ActionTable) -> None:
    handler = actions.get(job.action.type)
    on_failure = handler.on_failure if handler is not None else None
    with job.uow.write(job.project_id) as tx:
        AsyncActionRepository(tx.conn, tx.project_id).update(
            job.action.id,
            {
                "status": "FAILED",
                "operation_status": "FAILED",
                "result": {**job.result, "message": message},
                "updated_at": tx.now,
                "locked_until": None,
                "processing_time": job.elapsed_ms(),
            },
        )
        if on_failure is not None:
            on_failure(tx, job.action)


class AsyncActionRunner:
    """Runs queued actions on a background thread; woken after commits, polls as a fallback."""

    def __init__(self, uow: UnitOfWork, actions: ActionTable, poll_seconds: float = 0.2) -> None:
        self.uow = uow
        self.actions = actions
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        """Look for work now (an after-commit hook)."""
        self._wake.set()

    async def start(self) -> None:
        """Start the background thread (unfinished actions of a previous run resume)."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="async-actions", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        """Stop after the current piece of work; an interrupted action resumes next start."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join, 30)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                worked = run_next(self.uow, self.actions)
            except Exception:
                log.exception("async action runner could not claim work")
                worked = False
            if not worked:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()
