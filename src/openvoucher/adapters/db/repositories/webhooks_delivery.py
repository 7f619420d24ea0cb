"""SQL of the relay: claiming outbox events and due sendouts, recording attempts.

These queries span projects (the relay serves all of them). On PostgreSQL, claims lock with
``FOR UPDATE SKIP LOCKED`` so concurrent relays never take the same row; on SQLite the write
transaction (``BEGIN IMMEDIATE``) serialises them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)

from openvoucher.adapters.db.schema.core import projects
from openvoucher.adapters.db.schema.outbox import outbox_events
from openvoucher.adapters.db.schema.webhooks import webhook_attempts, webhook_sendouts

PENDING, DELIVERED, FAILED = "PENDING", "DELIVERED", "FAILED"


def _skip_locked(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def pending_events(conn: Connection, limit: int) -> list[dict[str, Any]]:
    """The oldest undispatched outbox events, locked for this transaction."""
    o = outbox_events.c
    query = select(outbox_events).where(o.dispatched_at.is_(None)).order_by(o.seq).limit(limit)
    if _skip_locked(conn):
        query = query.with_for_update(skip_locked=True)
    return [dict(r) for r in conn.execute(query).mappings()]


def mark_dispatched(conn: Connection, seqs: Iterable[int], now: datetime) -> None:
    """The events have been fanned out into sendouts."""
    query = update(outbox_events).where(outbox_events.c.seq.in_(list(seqs)))
    conn.execute(query.values(dispatched_at=now))


def insert_sendouts(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Store new sendouts."""
    if rows:
        conn.execute(insert(webhook_sendouts), rows)


TO_SEND = (
    "id",
    "project_id",
    "source_object",
    "source_id",
    "channel",
    "target_url",
    "headers",
    "body",
    "attempts",
)
"""The columns an attempt needs (no timestamps to parse)."""


def due_sendouts(
    conn: Connection,
    now: datetime,
    busy: Iterable[str],
    limit: int,
    shifted: Mapping[str, datetime] | None = None,
) -> list[dict[str, Any]]:
    """Pending sendouts due by ``now`` on channels not in ``busy``, oldest first, locked, each
    with its project's webhook token (one statement: no second read of the claimed rows).

    ``shifted`` (dev clocks only): projects whose time is their own, due by that time instead.
    """
    s = webhook_sendouts.c
    query = (
        select(*(s[name] for name in TO_SEND), projects.c.webhook_token)
        .join(projects, projects.c.id == s.project_id)
        .where(s.status == PENDING, _due_by(now, shifted or {}))
        # Not by id too: a fan-out makes many rows due at one instant, and a tie-break the
        # (status, next_attempt_at) index cannot give would sort all of them on every claim.
        .order_by(s.next_attempt_at)
        .limit(limit)
    )
    busy = list(busy)
    if busy:
        query = query.where(s.channel.not_in(busy))
    if _skip_locked(conn):
        query = query.with_for_update(skip_locked=True, of=webhook_sendouts)
    return [dict(r) for r in conn.execute(query).mappings()]


def _due_by(now: datetime, shifted: Mapping[str, datetime]) -> ColumnElement[bool]:
    """``next_attempt_at`` has passed: by ``now``, or by a shifted project's own time."""
    s = webhook_sendouts.c
    if not shifted:
        return s.next_attempt_at <= now
    own = [and_(s.project_id == p, s.next_attempt_at <= t) for p, t in shifted.items()]
    rest = and_(s.project_id.not_in(list(shifted)), s.next_attempt_at <= now)
    return or_(rest, *own)


def lease(conn: Connection, ids: list[str], token: str, until: datetime) -> None:
    """Mark sendouts as claimed by ``token``; if the claimer dies they fall due at ``until``."""
    if ids:
        query = update(webhook_sendouts).where(webhook_sendouts.c.id.in_(ids))
        conn.execute(query.values(claim_token=token, next_attempt_at=until))


def next_due(conn: Connection) -> datetime | None:
    """When the earliest pending sendout falls due."""
    s = webhook_sendouts.c
    query = select(func.min(s.next_attempt_at)).where(s.status == PENDING)
    value: datetime | None = conn.execute(query).scalar_one()
    return value


def still_held(conn: Connection, claims: list[tuple[str, str]]) -> set[str]:
    """Which of the (sendout id, claim token) pairs still hold their claim."""
    if not claims:
        return set()
    s = webhook_sendouts.c
    tokens = dict(claims)
    query = select(s.id, s.claim_token).where(s.id.in_(list(tokens)))
    return {row.id for row in conn.execute(query) if row.claim_token == tokens[row.id]}


SETTLED = (
    "attempts",
    "status",
    "next_attempt_at",
    "claim_token",
    "last_status_code",
    "last_error",
    "updated_at",
    "delivered_at",
)


def settle_many(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Write each sendout's new state (``sid``, ``token`` and every column in ``SETTLED``),
    only where the claim ``token`` still holds."""
    if rows:
        s = webhook_sendouts.c
        query = update(webhook_sendouts).where(
            s.id == bindparam("sid"), s.claim_token == bindparam("token")
        )
        conn.execute(query.values({name: bindparam(name) for name in SETTLED}), rows)


def release(conn: Connection, claims: list[tuple[str, str]], now: datetime) -> None:
    """Give back claimed but unsent sendouts: due now again, unless the claim has lapsed."""
    if claims:
        s = webhook_sendouts.c
        query = update(webhook_sendouts).where(
            s.id == bindparam("sid"), s.claim_token == bindparam("token")
        )
        rows = [{"sid": sid, "token": token} for sid, token in claims]
        conn.execute(query.values(claim_token=None, next_attempt_at=now), rows)


def insert_attempts(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Log attempts."""
    if rows:
        conn.execute(insert(webhook_attempts), rows)


def fail_pending(conn: Connection, source_id: str, reason: str, now: datetime) -> None:
    """Give up on every pending sendout of an endpoint or distribution (disabled or deleted)."""
    s = webhook_sendouts.c
    query = update(webhook_sendouts).where(s.source_id == source_id, s.status == PENDING)
    conn.execute(
        query.values(
            status=FAILED, next_attempt_at=None, claim_token=None, last_error=reason, updated_at=now
        )
    )
