"""The relay's use cases: fan outbox events out into sendouts, claim due ones, record attempts.

Each runs in one transaction. Fan-out and marking the event dispatched commit together, so
an event is fanned out exactly once; a claim is a lease, so a relay that dies mid-attempt
leaves its sendouts to fall due again (at least once, under the same ``whs_`` id).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from openvoucher.adapters.db.engine import WRITE
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.webhooks import retry
from openvoucher.webhooks.dispatcher import Job, Outcome
from openvoucher.webhooks.fan_out import NO_FAN_OUT, Leases, fan_out
from openvoucher.webhooks.repositories import webhooks_delivery as repo
from openvoucher.webhooks.repositories.webhooks import (
    DistributionRepository,
    WebhookEndpointRepository,
)

RELAY_SCOPE = "__relay__"
EXHAUSTED = "disabled after the last retry failed"
FAN_OUT_LIMIT = 500


@dataclass(frozen=True)
class Capacity:
    """How many sendouts a relay may claim: in total, and per channel given what is in flight."""

    limit: int
    per_channel: int
    in_flight: Mapping[str, int] = field(default_factory=dict)
    lease_seconds: float = 30.0

    def busy(self) -> list[str]:
        """Channels that are already at their limit."""
        return [c for c, n in self.in_flight.items() if n >= self.per_channel]

    def fetch_limit(self) -> int:
        """Rows worth reading for a claim: the room left on the channels in flight, plus one
        more channel's worth (a fan-out interleaves channels, so new ones are covered too)."""
        room = sum(max(0, self.per_channel - n) for n in self.in_flight.values())
        return min(self.limit, room + self.per_channel)

    def leases(self) -> Leases:
        """Leases on insert within this capacity (for a fan-out with nothing else due)."""
        return Leases(self.limit, self.per_channel, self.in_flight, self.lease_seconds)


@dataclass(frozen=True)
class Cycle:
    """What one relay cycle found: jobs to attempt now, and when the next sendout is due."""

    jobs: list[Job]
    fanned_out: int
    next_due: datetime | None


def cycle(
    uow: UnitOfWork,
    capacity: Capacity,
    finished: Sequence[tuple[Job, Outcome]] = (),
    schedule: Sequence[int] = (),
    *,
    fan_out_limit: int = FAN_OUT_LIMIT,
    released: Sequence[Job] = (),
    want_next_due: bool = True,
    via: RelayConnection | None = None,
) -> Cycle:
    """Record finished attempts, release unsent claims, fan out pending events, claim due
    sendouts: one transaction (on the relay's own connection ``via``, else a pooled one).

    With nothing else due, a fan-out's sendouts are leased as they are inserted and become the
    jobs (no claim query). ``next_due`` is looked up (if wanted) only when nothing was
    claimed: a relay with attempts in flight is woken by their completion anyway."""
    with uow.write(RELAY_SCOPE) if via is None else via.write() as tx:
        if via is None:
            repo.relax_durability(tx.conn)
        record_in(tx, finished, schedule)
        if released:
            _release(tx, released)
        fanned = fan_out(tx, fan_out_limit, capacity.leases()) if fan_out_limit else NO_FAN_OUT
        jobs = fanned.jobs
        if fanned.others_due and capacity.limit > 0:
            jobs = claim(tx, capacity)
        due = repo.next_due(tx.conn) if want_next_due and not jobs else None
        return Cycle(jobs, fanned.events, due)


class RelayConnection:
    """A relay's own database connection, held across its cycles: no pool checkout (and its
    liveness ping) per cycle, and on PostgreSQL asynchronous commit set once for the session
    (ADR 0005). After a failed cycle it is dropped and a fresh one opened on the next."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self._conn: Connection | None = None

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """A relay write transaction on this connection."""
        conn = self._open()
        try:
            with self.uow.write(RELAY_SCOPE, conn=conn) as tx:
                yield tx
        except BaseException:
            self.close()
            raise

    def _open(self) -> Connection:
        if self._conn is None:
            conn = self.uow.engine.connect().execution_options(**WRITE)
            try:
                repo.relax_durability(conn, session=True)
            except BaseException:
                repo.discard(conn)
                raise
            self._conn = conn
        return self._conn

    def close(self) -> None:
        """Let go of the connection (never back to the pool with the relay's settings)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            repo.discard(conn)


def _release(tx: Tx, released: Sequence[Job]) -> None:
    """Unsent claims fall due again at once: at their project's time (dev clocks differ)."""
    by_project: dict[str, list[tuple[str, str]]] = {}
    for job in released:
        by_project.setdefault(job.project_id, []).append((job.sendout_id, job.claim_token))
    for project_id, claims in by_project.items():
        repo.release(tx.conn, claims, tx.now_for(project_id))


def claim(tx: Tx, capacity: Capacity) -> list[Job]:
    """Lease due sendouts within ``capacity``; the lease lapses after ``lease_seconds``.

    Due means ``next_attempt_at`` has passed by the sendout's project's time: with dev
    clocks a project's time may be its own (``tx.shifted()``), and a lease ends at that
    project's time plus ``lease_seconds`` (every time on a sendout row is its project's)."""
    due = repo.due_sendouts(tx.conn, tx.now, capacity.busy(), capacity.fetch_limit(), tx.shifted())
    room = dict(capacity.in_flight)
    chosen: list[dict[str, Any]] = []
    for row in due:
        channel = row["channel"]
        if room.get(channel, 0) < capacity.per_channel:
            room[channel] = room.get(channel, 0) + 1
            chosen.append(row)
    if not chosen:
        return []
    token = secrets.token_hex(12)
    lease = timedelta(seconds=capacity.lease_seconds)
    by_project: dict[str, list[str]] = {}
    for row in chosen:
        by_project.setdefault(row["project_id"], []).append(row["id"])
    for project_id, ids in by_project.items():
        repo.lease(tx.conn, ids, token, tx.now_for(project_id) + lease)
    return [Job.from_row({**row, "claim_token": token}) for row in chosen]


def record_in(tx: Tx, finished: Sequence[tuple[Job, Outcome]], schedule: Sequence[int]) -> None:
    """Log the attempts and settle each sendout: delivered, retry later, or failed for good.

    A sendout whose claim lapsed (another relay took it over) keeps its state: the settling
    update matches the claim token too. The attempt is still logged.
    """
    if not finished:
        return
    attempts, settled, exhausted = [], [], []
    for job, outcome in finished:
        number = job.attempts + 1
        attempts.append(_attempt_row(job, outcome, number))
        status, values = _settlement(tx.now_for(job.project_id), outcome, number, schedule)
        settled.append({"sid": job.sendout_id, "token": job.claim_token, **values})
        if status == repo.FAILED and number == retry.total_attempts(schedule):
            exhausted.append(job)
    if exhausted:  # rare: only a sendout still held disables its endpoint
        held = repo.still_held(tx.conn, [(job.sendout_id, job.claim_token) for job in exhausted])
        exhausted = [job for job in exhausted if job.sendout_id in held]
    repo.insert_attempts(tx.conn, attempts)
    repo.settle_many(tx.conn, settled)
    for job in exhausted:
        _disable(tx, job)


def _attempt_row(job: Job, outcome: Outcome, number: int) -> dict[str, Any]:
    return {
        "sendout_id": job.sendout_id,
        "attempt": number,
        "started_at": outcome.started_at,
        "duration_ms": outcome.duration_ms,
        "status_code": outcome.status_code,
        "response_excerpt": outcome.excerpt,
        "error": outcome.error,
    }


def _settlement(
    now: datetime, outcome: Outcome, number: int, schedule: Sequence[int]
) -> tuple[str, dict[str, Any]]:
    values: dict[str, Any] = {
        "attempts": number,
        "claim_token": None,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
        "updated_at": now,
        "delivered_at": None,
    }
    if outcome.delivered:
        return repo.DELIVERED, {
            **values,
            "status": repo.DELIVERED,
            "next_attempt_at": None,
            "delivered_at": now,
        }
    delay = retry.next_delay(schedule, number)
    if delay is None:
        return repo.FAILED, {**values, "status": repo.FAILED, "next_attempt_at": None}
    due = now + timedelta(seconds=delay)
    return repo.PENDING, {**values, "status": repo.PENDING, "next_attempt_at": due}


def _disable(tx: Tx, job: Job) -> None:
    """Voucherify disables an endpoint (pauses a distribution) after its last retry fails."""
    table = (
        WebhookEndpointRepository(tx.conn, job.project_id)
        if job.source_object == "webhook"
        else DistributionRepository(tx.conn, job.project_id)
    )
    now = tx.now_for(job.project_id)
    table.update(job.source_id, {"active": False, "updated_at": now})
    repo.fail_pending(tx.conn, job.source_id, f"{job.source_object} {EXHAUSTED}", now)
