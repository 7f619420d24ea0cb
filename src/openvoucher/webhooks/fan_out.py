"""Fan-out: outbox events into sendouts, one per event and subscribed channel.

The body of each sendout is rendered here, once, and stored: every attempt sends the same
bytes under the same ``whs_`` id, which is derived from the event and the channel (ADR 0005).
"""

from __future__ import annotations

import hashlib
import secrets
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from openvoucher.kernel.ids import PREFIXES
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.webhooks import payloads
from openvoucher.webhooks.dispatcher import Job
from openvoucher.webhooks.repositories import webhooks_delivery as repo

_ID_ALPHABET = string.ascii_letters + string.digits
_ID_LENGTH = 24


@dataclass(frozen=True)
class FanOut:
    """What a fan-out did: events taken, sendouts leased at once (as jobs), and whether other
    sendouts may be due (then the cycle claims as usual)."""

    events: int
    jobs: list[Job]
    others_due: bool


NO_FAN_OUT = FanOut(0, [], others_due=True)


def fan_out(tx: Tx, limit: int, leases: Leases | None = None) -> FanOut:
    """Create a sendout per event and subscribed channel; mark the events dispatched.

    When no other sendout is due (and no project keeps its own dev clock), the new sendouts
    are leased on insert (within ``leases``' room) and returned as jobs: the claim they would
    need next would find nothing else to take, so the cycle skips it."""
    events = repo.take_pending_events(tx.conn, limit, tx.now)
    if not events:
        return NO_FAN_OUT
    due = events[0]["next_due"]
    others_due = bool(tx.shifted()) or (due is not None and due <= tx.now)
    leasing = None if others_due else leases
    found = _subscribers(tx, events)
    rows: list[dict[str, Any]] = []
    for row in events:
        event = _event(row)
        for target in found.targets.get((event.project_id, event.type), ()):
            sendout = _sendout(tx, event, target)
            if leasing is not None:
                leasing.lease(tx, sendout, found.tokens[event.project_id])
            rows.append(sendout)
    repo.insert_sendouts(tx.conn, rows)
    return FanOut(len(events), leasing.jobs if leasing else [], others_due)


class Leases:
    """Leases new sendouts on insert, as far as a relay's room allows: ``limit`` in all, and
    ``per_channel`` per channel counting what it holds already (``held``)."""

    def __init__(
        self, limit: int, per_channel: int, held: Mapping[str, int], lease_seconds: float
    ) -> None:
        self.limit = limit
        self.per_channel = per_channel
        self.room = dict(held)
        self.lease_for = timedelta(seconds=lease_seconds)
        self.token = secrets.token_hex(12)
        self.jobs: list[Job] = []

    def lease(self, tx: Tx, sendout: dict[str, Any], secret: str) -> None:
        """Lease ``sendout`` (a row about to be inserted) if there is room on its channel."""
        channel = sendout["channel"]
        held = self.room.get(channel, 0)
        if len(self.jobs) >= self.limit or held >= self.per_channel:
            return
        self.room[channel] = held + 1
        sendout["claim_token"] = self.token
        sendout["next_attempt_at"] = tx.now_for(sendout["project_id"]) + self.lease_for
        self.jobs.append(Job.from_row({**sendout, "webhook_token": secret}))


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


@dataclass(frozen=True)
class _Subscribers:
    """Targets per (project, event type), and each project's webhook token."""

    targets: dict[tuple[str, str], list[payloads.Target]]
    tokens: dict[str, str]


def _subscribers(tx: Tx, events: Sequence[Mapping[str, Any]]) -> _Subscribers:
    """Who gets each (project, event type) of ``events``: one query for all of them."""
    kinds: dict[str, set[str]] = {}
    for row in events:
        kinds.setdefault(row["project_id"], set()).add(row["type"])
    triggers = {kind for found in kinds.values() for kind in found if kind.startswith("customer.")}
    targets: dict[tuple[str, str], list[payloads.Target]] = {}
    tokens: dict[str, str] = {}
    for row in repo.subscribers(tx.conn, kinds, triggers):
        project_id = row["project_id"]
        tokens[project_id] = row["token"]
        for kind in kinds[project_id]:
            if _subscribed(row, kind):
                targets.setdefault((project_id, kind), []).extend(_targets_of(row))
    return _Subscribers(targets, tokens)


def _subscribed(row: Mapping[str, Any], event_type: str) -> bool:
    """Whether an endpoint (no events listed: all) or a distribution wants ``event_type``."""
    if row["kind"] == "webhook":
        return not row["spec"] or event_type in row["spec"]
    return bool(row["url"] == event_type)


def _targets_of(row: Mapping[str, Any]) -> list[payloads.Target]:
    if row["kind"] == "webhook":
        return [payloads.Target("webhook", row["id"], row["url"], headers=row["headers"])]
    channels = {"id": row["id"], "channels": row["spec"]}
    return [_channel_target(channels, index) for index in range(len(row["spec"]))]


def _channel_target(row: Mapping[str, Any], index: int) -> payloads.Target:
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
        "claim_token": None,  # every row of one insert names the same columns
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
