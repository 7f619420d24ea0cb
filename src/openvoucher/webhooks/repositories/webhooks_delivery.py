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
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Connection,
    Integer,
    Select,
    Update,
    and_,
    bindparam,
    func,
    insert,
    literal_column,
    null,
    or_,
    select,
    union_all,
    update,
)

from openvoucher.adapters.db import outbox_parts
from openvoucher.adapters.db.schema.core import projects
from openvoucher.adapters.db.schema.outbox import outbox_events
from openvoucher.adapters.db.schema.webhooks import (
    distributions,
    webhook_attempts,
    webhook_endpoints,
    webhook_sendouts,
)

PENDING, DELIVERED, FAILED = "PENDING", "DELIVERED", "FAILED"


def _skip_locked(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def relax_durability(conn: Connection, *, session: bool = False) -> None:
    """PostgreSQL: commits do not wait for their WAL flush (the relay's own bookkeeping only;
    a commit lost in a server crash is redone, see ADR 0005). SQLite: no-op.

    For this transaction, or (``session``) for the connection's life: the relay's own
    connection, set once and never returned to the pool (``discard``)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SET {'SESSION' if session else 'LOCAL'} synchronous_commit = off")
        if session:
            conn.commit()


def discard(conn: Connection) -> None:
    """Close a connection whose session settings are the relay's (PostgreSQL: the database
    connection is dropped rather than pooled, so nobody else inherits them)."""
    if conn.dialect.name == "postgresql" and not conn.closed:
        conn.invalidate()
    conn.close()


def take_pending_events(conn: Connection, limit: int, now: datetime) -> list[dict[str, Any]]:
    """Mark the oldest undispatched outbox events dispatched and return them, in ``seq``
    order: one statement (the fan-out that follows commits with it, or neither happens).

    Each row also carries ``next_due``: when the earliest pending sendout falls due (None if
    none is pending), read before these events' sendouts exist."""
    query = _TAKE_EVENTS[_skip_locked(conn)]
    rows = [dict(r) for r in conn.execute(query, {"limit": limit, "now": now}).mappings()]
    rows.sort(key=lambda row: int(row["seq"]))
    outbox_parts.expand(conn, rows)
    return rows


def _take_events(skip_locked: bool) -> Update:
    """Built once per dialect kind: a constant statement skips SQLAlchemy's per-call cache-key
    work (a relay cycle is CPU-bound on the latency path)."""
    o = outbox_events.c
    oldest = select(o.seq).where(o.dispatched_at.is_(None)).order_by(o.seq)
    oldest = oldest.limit(bindparam("limit", type_=Integer))
    if skip_locked:
        oldest = oldest.with_for_update(skip_locked=True)
    return (
        update(outbox_events)
        .where(o.seq.in_(oldest.scalar_subquery()))
        .values(dispatched_at=bindparam("now", type_=o.dispatched_at.type))
        .returning(
            *(c for c in outbox_events.c if c.name != "dispatched_at"),
            _earliest_pending().scalar_subquery().label("next_due"),
        )
    )


def _earliest_pending() -> Select[Any]:
    s = webhook_sendouts.c
    return select(func.min(s.next_attempt_at)).where(s.status == PENDING)


_TAKE_EVENTS = {flag: _take_events(flag) for flag in (False, True)}


def subscribers(
    conn: Connection, project_ids: Iterable[str], triggers: Iterable[str]
) -> list[dict[str, Any]]:
    """The active webhook endpoints of the projects, and their active distributions triggered
    by one of ``triggers``, each with its project's webhook token: one statement.

    Rows: ``kind`` ("webhook" | "distribution"), ``id``, ``project_id``, ``token``, ``url``
    (endpoint) or ``trigger`` (distribution) in ``url``, ``headers`` (endpoint) and ``spec``
    (the endpoint's ``events``, or the distribution's ``channels``)."""
    params = {"projects": sorted(set(project_ids)), "triggers": sorted(set(triggers)) or [""]}
    return [dict(r) for r in conn.execute(_SUBSCRIBERS, params).mappings()]


def _subscribers() -> CompoundSelect[Any]:
    e, d, p = webhook_endpoints.c, distributions.c, projects.c
    in_projects: BindParameter[Any] = bindparam("projects", expanding=True)
    endpoints = (
        select(
            literal_column("'webhook'").label("kind"),
            e.id,
            e.project_id,
            p.webhook_token.label("token"),
            e.target_url.label("url"),
            e.headers,
            e.events.label("spec"),
        )
        .join(projects, p.id == e.project_id)
        .where(e.project_id.in_(in_projects), e.active.is_(True))
    )
    channels = (
        select(
            literal_column("'distribution'"),
            d.id,
            d.project_id,
            p.webhook_token,
            d.trigger,
            null(),
            d.channels,
        )
        .join(projects, p.id == d.project_id)
        .where(
            d.project_id.in_(in_projects),
            d.trigger.in_(bindparam("triggers", expanding=True)),
            d.active.is_(True),
        )
    )
    return union_all(endpoints, channels)


_SUBSCRIBERS = _subscribers()


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
    params = {"now": now, "busy": list(busy), "limit": limit}
    if not shifted:  # the usual case: one prebuilt statement
        query = _DUE[_skip_locked(conn)]
        return [dict(r) for r in conn.execute(query, params).mappings()]
    query = _due_query(_skip_locked(conn), _due_by(now, shifted))
    return [dict(r) for r in conn.execute(query, params).mappings()]


def _due_query(skip_locked: bool, due: ColumnElement[bool]) -> Select[Any]:
    s = webhook_sendouts.c
    query = (
        select(*(s[name] for name in TO_SEND), projects.c.webhook_token)
        .join(projects, projects.c.id == s.project_id)
        .where(s.status == PENDING, due, s.channel.not_in(bindparam("busy", expanding=True)))
        # Not by id too: a fan-out makes many rows due at one instant, and a tie-break the
        # (status, next_attempt_at) index cannot give would sort all of them on every claim.
        .order_by(s.next_attempt_at)
        .limit(bindparam("limit", type_=Integer))
    )
    if skip_locked:
        query = query.with_for_update(skip_locked=True, of=webhook_sendouts)
    return query


def _due_by(now: datetime, shifted: Mapping[str, datetime]) -> ColumnElement[bool]:
    """``next_attempt_at`` has passed: by ``now``, or by a shifted project's own time."""
    s = webhook_sendouts.c
    if not shifted:
        return s.next_attempt_at <= now
    own = [and_(s.project_id == p, s.next_attempt_at <= t) for p, t in shifted.items()]
    rest = and_(s.project_id.not_in(list(shifted)), s.next_attempt_at <= now)
    return or_(rest, *own)


_DUE_NOW = webhook_sendouts.c.next_attempt_at <= bindparam(
    "now", type_=webhook_sendouts.c.next_attempt_at.type
)
_DUE = {flag: _due_query(flag, _DUE_NOW) for flag in (False, True)}


def lease(conn: Connection, ids: list[str], token: str, until: datetime) -> None:
    """Mark sendouts as claimed by ``token``; if the claimer dies they fall due at ``until``."""
    if ids:
        conn.execute(_LEASE, {"ids": ids, "token": token, "until": until})


_LEASE = (
    update(webhook_sendouts)
    .where(webhook_sendouts.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        claim_token=bindparam("token", type_=webhook_sendouts.c.claim_token.type),
        next_attempt_at=bindparam("until", type_=webhook_sendouts.c.next_attempt_at.type),
    )
)


def next_due(conn: Connection) -> datetime | None:
    """When the earliest pending sendout falls due."""
    value: datetime | None = conn.execute(_NEXT_DUE).scalar_one()
    return value


_NEXT_DUE = _earliest_pending()


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
