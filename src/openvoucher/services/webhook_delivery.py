"""The relay's use cases: fan outbox events out into sendouts, claim due ones, record attempts.

Each runs in one transaction. Fan-out and marking the event dispatched commit together, so
an event is fanned out exactly once; a claim is a lease, so a relay that dies mid-attempt
leaves its sendouts to fall due again (at least once, under the same ``whs_`` id).
"""

from __future__ import annotations

import hashlib
import secrets
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from openvoucher.adapters.db.repositories import webhooks_delivery as repo
from openvoucher.adapters.db.repositories.webhooks import (
    DistributionRepository,
    WebhookEndpointRepository,
)
from openvoucher.domain.ids import PREFIXES
from openvoucher.services.unit_of_work import Tx, UnitOfWork
from openvoucher.webhooks import payloads, retry
from openvoucher.webhooks.dispatcher import Job, Outcome

RELAY_SCOPE = "__relay__"
EXHAUSTED = "disabled after the last retry failed"
FAN_OUT_LIMIT = 500
_ID_ALPHABET = string.ascii_letters + string.digits
_ID_LENGTH = 24


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
) -> Cycle:
    """Record finished attempts, release unsent claims, fan out pending events, claim due
    sendouts: one transaction. ``next_due`` is looked up (if wanted) only when nothing was
    claimed: a relay with attempts in flight is woken by their completion anyway."""
    with uow.write(RELAY_SCOPE) as tx:
        repo.relax_durability(tx.conn)
        record_in(tx, finished, schedule)
        if released:
            _release(tx, released)
        fanned = fan_out(tx, fan_out_limit) if fan_out_limit else 0
        jobs = claim(tx, capacity) if capacity.limit > 0 else []
        due = repo.next_due(tx.conn) if want_next_due and not jobs else None
        return Cycle(jobs, fanned, due)


def _release(tx: Tx, released: Sequence[Job]) -> None:
    """Unsent claims fall due again at once: at their project's time (dev clocks differ)."""
    by_project: dict[str, list[tuple[str, str]]] = {}
    for job in released:
        by_project.setdefault(job.project_id, []).append((job.sendout_id, job.claim_token))
    for project_id, claims in by_project.items():
        repo.release(tx.conn, claims, tx.now_for(project_id))


def fan_out(tx: Tx, limit: int) -> int:
    """Create a sendout per event and subscribed channel; mark the events dispatched."""
    events = repo.take_pending_events(tx.conn, limit, tx.now)
    if not events:
        return 0
    rows: list[dict[str, Any]] = []
    targets: dict[tuple[str, str], list[payloads.Target]] = {}
    for row in events:
        event = _event(row)
        key = (event.project_id, event.type)
        if key not in targets:
            targets[key] = _targets(tx, event.project_id, event.type)
        rows.extend(_sendout(tx, event, target) for target in targets[key])
    repo.insert_sendouts(tx.conn, rows)
    return len(events)


def _event(row: dict[str, Any]) -> payloads.OutboxEvent:
    return payloads.OutboxEvent(
        id=row["id"],
        project_id=row["project_id"],
        type=row["type"],
        data=row["data"],
        created_at=row["created_at"],
        entity_id=row["entity_id"],
        group_id=row["group_id"],
    )


def _targets(tx: Tx, project_id: str, event_type: str) -> list[payloads.Target]:
    found = [
        payloads.Target("webhook", row["id"], row["target_url"], headers=row["headers"])
        for row in WebhookEndpointRepository(tx.conn, project_id).active()
        if not row["events"] or event_type in row["events"]
    ]
    if event_type.startswith("customer."):
        for row in DistributionRepository(tx.conn, project_id).active_for(event_type):
            found.extend(_channel_target(row, index) for index in range(len(row["channels"])))
    return found


def _channel_target(row: dict[str, Any], index: int) -> payloads.Target:
    channel = row["channels"][index]
    return payloads.Target(
        "distribution",
        row["id"],
        channel["url"],
        headers=channel.get("headers") or {},
        channel=f"{row['id']}#{index}",
        event_name=channel.get("event_name"),
        payload=channel.get("payload"),
        raw_payload=bool(channel.get("raw_payload")),
    )


def _sendout(tx: Tx, event: payloads.OutboxEvent, target: payloads.Target) -> dict[str, Any]:
    sendout_id = sendout_id_for(event.id, target.channel or target.source_id)
    now = tx.now_for(event.project_id)  # the project's time (its dev clock may be its own)
    return {
        "id": sendout_id,
        "project_id": event.project_id,
        "event_id": event.id,
        "event_type": event.type,
        "source_object": target.source_object,
        "source_id": target.source_id,
        "channel": target.channel or target.source_id,
        "target_url": target.url,
        "headers": target.headers,
        "body": payloads.body(sendout_id, now, event, target),
        "status": repo.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def sendout_id_for(event_id: str, channel: str) -> str:
    """The sendout's ``whs_`` id, derived from its event and channel: a fan-out redone after
    a lost relay commit (ADR 0005) makes the same ids, so receivers still de-duplicate."""
    digest = int.from_bytes(hashlib.sha256(f"{event_id}|{channel}".encode()).digest(), "big")
    chars = []
    for _ in range(_ID_LENGTH):
        digest, index = divmod(digest, len(_ID_ALPHABET))
        chars.append(_ID_ALPHABET[index])
    return PREFIXES["sendout"] + "".join(chars)


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
