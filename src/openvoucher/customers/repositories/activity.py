"""Customer activity: the ``customer.*`` events of the event log (the outbox) about one customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from openvoucher.adapters.db import outbox_parts
from openvoucher.adapters.db.schema.outbox import outbox_events

_COLUMNS = (
    outbox_events.c.seq,
    outbox_events.c.id,
    outbox_events.c.type,
    outbox_events.c.data,
    outbox_events.c.parts,
    outbox_events.c.group_id,
    outbox_events.c.created_at,
)


@dataclass(frozen=True)
class ActivityQuery:
    """Filters and window of ``GET /v1/customers/{id}/activity``."""

    customer_id: str
    limit: int
    newest_first: bool = True
    start_date: datetime | None = None
    end_date: datetime | None = None
    type: str | None = None
    starting_after_seq: int | None = None


def seq_of(conn: Connection, project_id: str, event_id: str) -> int | None:
    """The log position of one event (the cursor of ``starting_after_id``)."""
    o = outbox_events.c
    query = select(o.seq).where(o.project_id == project_id, o.id == event_id)
    found = conn.execute(query).scalar()
    return int(found) if found is not None else None


def customer_events(conn: Connection, project_id: str, q: ActivityQuery) -> list[dict[str, Any]]:
    """Up to ``q.limit + 1`` events (one more tells whether there are more)."""
    o = outbox_events.c
    conditions = [
        o.project_id == project_id,
        o.customer_id == q.customer_id,
        o.type.like("customer.%"),
    ]
    if q.start_date is not None:
        conditions.append(o.created_at >= q.start_date)
    if q.end_date is not None:
        conditions.append(o.created_at <= q.end_date)
    if q.type is not None:
        conditions.append(o.type == q.type)
    if q.starting_after_seq is not None:
        after = q.starting_after_seq
        conditions.append(o.seq < after if q.newest_first else o.seq > after)
    order = o.seq.desc() if q.newest_first else o.seq.asc()
    query = select(*_COLUMNS).where(*conditions).order_by(order).limit(q.limit + 1)
    rows = [dict(row) for row in conn.execute(query).mappings()]
    outbox_parts.expand(conn, rows)
    return rows
