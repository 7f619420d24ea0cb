"""The sendout log of one project: sendouts and their attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, RowMapping, Text, cast, func, or_, select, update

from openvoucher.adapters.db.schema.core import projects
from openvoucher.adapters.db.schema.outbox import outbox_events, outbox_parts
from openvoucher.adapters.db.schema.webhooks import webhook_attempts, webhook_sendouts
from openvoucher.webhooks.model import Attempt, Sendout


@dataclass(frozen=True)
class SendoutFilter:
    """Filters of ``GET /v1/webhooks/sendouts``."""

    status: str | None = None
    event_type: str | None = None
    source_id: str | None = None
    event_id: str | None = None
    created_before: datetime | None = None
    created_after: datetime | None = None
    # Strings the event's data must hold as a JSON string value (a voucher id or code, a
    # customer id or source_id …), each of them.
    mentions: tuple[str, ...] = ()
    after_id: str | None = None
    """Keyset cursor (newest first): the sendouts after this one, on the created index."""


class SendoutRepository:
    """Sendouts and attempts, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def get(self, sendout_id: str) -> Sendout | None:
        """By id."""
        s = webhook_sendouts.c
        query = select(webhook_sendouts).where(s.project_id == self.project_id, s.id == sendout_id)
        found = self.conn.execute(query).mappings().first()
        return _sendout(found) if found else None

    def attempts(self, sendout_id: str) -> tuple[Attempt, ...]:
        """Every attempt of a sendout, in order."""
        a = webhook_attempts.c
        query = select(webhook_attempts).where(a.sendout_id == sendout_id).order_by(a.id)
        return tuple(_attempt(r) for r in self.conn.execute(query).mappings())

    def page(self, filters: SendoutFilter, *, limit: int, offset: int) -> tuple[list[Sendout], int]:
        """Newest first, and the total matching."""
        s = webhook_sendouts.c
        sqlite = self.conn.dialect.name == "sqlite"
        conditions = [s.project_id == self.project_id, *self._conditions(filters, sqlite)]
        if filters.after_id is not None:
            conditions.extend(self._after(filters.after_id))
        query = select(webhook_sendouts).where(*conditions)
        query = query.order_by(s.created_at.desc(), s.id).limit(limit).offset(offset)
        rows = [_sendout(r) for r in self.conn.execute(query).mappings()]
        count = select(func.count()).select_from(webhook_sendouts).where(*conditions)
        return rows, int(self.conn.execute(count).scalar_one())

    def _after(self, after_id: str) -> list[Any]:
        """Rows after ``after_id`` in ``created_at`` descending, id ascending order."""
        s = webhook_sendouts.c
        cursor = (
            select(s.created_at)
            .where(s.project_id == self.project_id, s.id == after_id)
            .scalar_subquery()
        )
        return [s.created_at <= cursor, or_(s.created_at < cursor, s.id > after_id)]

    @staticmethod
    def _conditions(f: SendoutFilter, sqlite: bool) -> list[Any]:
        s = webhook_sendouts.c
        pairs = (
            (f.status, s.status),
            (f.event_type, s.event_type),
            (f.source_id, s.source_id),
            (f.event_id, s.event_id),
        )
        conditions: list[Any] = [column == value for value, column in pairs if value is not None]
        if f.created_before is not None:
            conditions.append(s.created_at < f.created_before)
        if f.created_after is not None:
            conditions.append(s.created_at > f.created_after)
        conditions.extend(_mentioning(value, sqlite) for value in f.mentions)
        return conditions

    def signing_secret(self) -> str | None:
        """The project's webhook token (what sendouts are signed with)."""
        query = select(projects.c.webhook_token).where(projects.c.id == self.project_id)
        found: str | None = self.conn.execute(query).scalar_one_or_none()
        return found

    def reschedule(self, sendout_id: str, now: datetime) -> None:
        """Make a sendout due now again (a manual retry), whatever its status."""
        s = webhook_sendouts.c
        query = update(webhook_sendouts).where(s.project_id == self.project_id, s.id == sendout_id)
        self.conn.execute(
            query.values(status="PENDING", next_attempt_at=now, claim_token=None, updated_at=now)
        )


def _sendout(row: RowMapping) -> Sendout:
    return Sendout(
        id=row["id"],
        project_id=row["project_id"],
        event_id=row["event_id"],
        event_type=row["event_type"],
        source_object=row["source_object"],
        source_id=row["source_id"],
        channel=row["channel"],
        target_url=row["target_url"],
        headers=dict(row["headers"] or {}),
        body=bytes(row["body"]),
        status=row["status"],
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        last_status_code=row["last_status_code"],
        last_error=row["last_error"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        delivered_at=row["delivered_at"],
    )


def _attempt(row: RowMapping) -> Attempt:
    return Attempt(
        attempt=row["attempt"],
        started_at=row["started_at"],
        duration_ms=row["duration_ms"],
        status_code=row["status_code"],
        response_excerpt=row["response_excerpt"],
        error=row["error"],
    )


def _mentioning(value: str, sqlite: bool) -> Any:
    """Sendouts whose event data holds ``value`` as a JSON string (anywhere in it: in the
    event's row or in one of its parts, ADR 0075). Each event looks up only its own parts,
    by primary key, so the search stays one pass over the events as before."""
    o, p = outbox_events.c, outbox_parts.c
    quoted = orjson.dumps(value).decode()
    listed = (
        func.json_each(o.parts).table_valued("value")
        if sqlite
        else func.jsonb_each_text(o.parts).table_valued("key", "value")
    )
    in_part = (
        select(p.id)
        .select_from(listed.join(outbox_parts, p.id == listed.c.value))
        .where(cast(p.body, Text).contains(quoted, autoescape=True))
        .exists()
    )
    mentioned = cast(o.data, Text).contains(quoted, autoescape=True) | (
        o.parts.is_not(None) & in_part
    )
    return webhook_sendouts.c.event_id.in_(select(o.id).where(mentioned))
