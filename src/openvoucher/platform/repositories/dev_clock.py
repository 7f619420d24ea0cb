"""SQL of time travel: when the next timed work falls due, and whether due work is still open.

Each project has its own clock (docs/adr/0007-dev-clock.md): the queries look at one project's
work, compared with that project's time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select

from openvoucher.adapters.clock import ProjectTime
from openvoucher.adapters.db.schema.catalog import async_actions
from openvoucher.adapters.db.schema.dev import dev_project_clocks
from openvoucher.adapters.db.schema.loyalty import loyalty_point_buckets as buckets
from openvoucher.adapters.db.schema.outbox import outbox_events
from openvoucher.adapters.db.schema.webhooks import webhook_sendouts
from openvoucher.loyalty.repositories.loyalty import ACTIVE
from openvoucher.loyalty.repositories.pending_points import next_activation
from openvoucher.platform.repositories.async_actions import UNFINISHED
from openvoucher.webhooks.repositories.webhooks_delivery import PENDING


@dataclass(frozen=True)
class OpenWork:
    """Work that is due at some instant and not finished yet."""

    undispatched_events: int
    due_sendouts: int
    sendouts_in_flight: int
    unfinished_actions: int

    @property
    def webhooks_settled(self) -> bool:
        """No event waits for fan-out and no due sendout waits for (or is in) an attempt."""
        return not (self.undispatched_events or self.due_sendouts or self.sendouts_in_flight)


def next_due(
    conn: Connection, project_id: str, after: datetime, until: datetime
) -> datetime | None:
    """The project's earliest point-bucket expiry, pending points activation or sendout retry
    in ``(after, until]``."""
    b, s = buckets.c, webhook_sendouts.c
    expiry = select(func.min(b.expires_at)).where(
        b.project_id == project_id, b.status == ACTIVE, b.expires_at > after, b.expires_at <= until
    )
    retry = select(func.min(s.next_attempt_at)).where(
        s.project_id == project_id,
        s.status == PENDING,
        s.claim_token.is_(None),
        s.next_attempt_at > after,
        s.next_attempt_at <= until,
    )
    found = [conn.execute(q).scalar_one() for q in (expiry, retry)]
    found.append(next_activation(conn, project_id, after, until))
    times = [value for value in found if value is not None]
    return min(times) if times else None


def open_work(conn: Connection, project_id: str, now: datetime) -> OpenWork:
    """Counts of the project's work due by ``now`` (its time) and not done yet."""
    o, s, a = outbox_events.c, webhook_sendouts.c, async_actions.c
    count = func.count()
    undispatched = (
        select(count)
        .select_from(outbox_events)
        .where(o.project_id == project_id, o.dispatched_at.is_(None))
    )
    pending = (s.project_id == project_id, s.status == PENDING)
    due = (
        select(count)
        .select_from(webhook_sendouts)
        .where(*pending, s.claim_token.is_(None), s.next_attempt_at <= now)
    )
    flying = select(count).select_from(webhook_sendouts).where(*pending, s.claim_token.is_not(None))
    actions = (
        select(count)
        .select_from(async_actions)
        .where(a.project_id == project_id, a.status.in_(UNFINISHED))
    )
    values = [int(conn.execute(q).scalar_one()) for q in (undispatched, due, flying, actions)]
    return OpenWork(*values)


def project_clocks(conn: Connection) -> dict[str, ProjectTime]:
    """Every project's own clock setting."""
    c = dev_project_clocks.c
    rows = conn.execute(select(c.project_id, c.offset_us, c.frozen_at))
    return {
        row.project_id: ProjectTime(timedelta(microseconds=row.offset_us), row.frozen_at)
        for row in rows
    }


def save_project_clock(
    conn: Connection, project_id: str, time: ProjectTime | None, now: datetime
) -> None:
    """Store (or with None, drop) the project's clock setting."""
    c = dev_project_clocks.c
    conn.execute(delete(dev_project_clocks).where(c.project_id == project_id))
    if time is not None:
        offset_us = time.offset // timedelta(microseconds=1)
        values = {"offset_us": offset_us, "frozen_at": time.frozen_at, "updated_at": now}
        conn.execute(insert(dev_project_clocks).values(project_id=project_id, **values))
