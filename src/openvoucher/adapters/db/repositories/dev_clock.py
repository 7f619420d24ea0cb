"""SQL of time travel: when the next timed work falls due, and whether due work is still open.

These queries span projects: the dev clock is server-wide (docs/adr/0007-dev-clock.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from openvoucher.adapters.db.repositories.async_actions import UNFINISHED
from openvoucher.adapters.db.repositories.loyalty import ACTIVE
from openvoucher.adapters.db.repositories.webhooks_delivery import PENDING
from openvoucher.adapters.db.schema.catalog import async_actions
from openvoucher.adapters.db.schema.loyalty import loyalty_point_buckets as buckets
from openvoucher.adapters.db.schema.outbox import outbox_events
from openvoucher.adapters.db.schema.webhooks import webhook_sendouts


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


def next_due(conn: Connection, after: datetime, until: datetime) -> datetime | None:
    """The earliest point-bucket expiry or sendout retry in ``(after, until]``."""
    b, s = buckets.c, webhook_sendouts.c
    expiry = select(func.min(b.expires_at)).where(
        b.status == ACTIVE, b.expires_at > after, b.expires_at <= until
    )
    retry = select(func.min(s.next_attempt_at)).where(
        s.status == PENDING,
        s.claim_token.is_(None),
        s.next_attempt_at > after,
        s.next_attempt_at <= until,
    )
    found = [conn.execute(q).scalar_one() for q in (expiry, retry)]
    times = [value for value in found if value is not None]
    return min(times) if times else None


def open_work(conn: Connection, now: datetime) -> OpenWork:
    """Counts of what is due by ``now`` and not done yet."""
    o, s, a = outbox_events.c, webhook_sendouts.c, async_actions.c
    count = func.count()
    undispatched = select(count).select_from(outbox_events).where(o.dispatched_at.is_(None))
    due = (
        select(count)
        .select_from(webhook_sendouts)
        .where(s.status == PENDING, s.claim_token.is_(None), s.next_attempt_at <= now)
    )
    flying = (
        select(count)
        .select_from(webhook_sendouts)
        .where(s.status == PENDING, s.claim_token.is_not(None))
    )
    actions = select(count).select_from(async_actions).where(a.status.in_(UNFINISHED))
    values = [int(conn.execute(q).scalar_one()) for q in (undispatched, due, flying, actions)]
    return OpenWork(*values)
