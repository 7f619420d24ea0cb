"""SQL for pending loyalty points entries (scoped to one project)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from openvoucher.adapters.db.schema.pending_points import loyalty_pending_points as entries
from openvoucher.kernel.scoped import ScopedRows

PENDING = "PENDING"


class PendingPointsRepository(ScopedRows):
    """A project's pending points entries."""

    table = entries

    def get_locked(self, entry_id: str) -> dict[str, Any] | None:
        """By id, locked for this transaction (PostgreSQL; SQLite has one writer anyway)."""
        return self._first(self._scoped().where(entries.c.id == entry_id).with_for_update())

    def total_of(self, voucher_id: str) -> int:
        """The points of the card's PENDING entries."""
        query = select(func.coalesce(func.sum(entries.c.points), 0)).where(
            entries.c.project_id == self.project_id,
            entries.c.voucher_id == voucher_id,
            entries.c.status == PENDING,
        )
        return int(self.conn.execute(query).scalar_one())

    def page(
        self,
        *,
        voucher_id: str | None = None,
        campaign_id: str | None = None,
        limit: int,
        newest_first: bool,
        after_id: str | None = None,
    ) -> tuple[list[dict[str, Any]], bool]:
        """PENDING entries of a card or a campaign, in creation order (or newest first),
        after the entry ``after_id``; and whether more follow."""
        c = entries.c
        query = self._scoped().where(c.status == PENDING)
        if voucher_id is not None:
            query = query.where(c.voucher_id == voucher_id)
        if campaign_id is not None:
            query = query.where(c.campaign_id == campaign_id)
        if after_id is not None:
            mark = (
                select(c.seq)
                .where(c.project_id == self.project_id, c.id == after_id)
                .scalar_subquery()
            )
            query = query.where(c.seq < mark if newest_first else c.seq > mark)
        query = query.order_by(c.seq.desc() if newest_first else c.seq).limit(limit + 1)
        rows = [dict(row) for row in self.conn.execute(query).mappings()]
        return rows[:limit], len(rows) > limit

    def due_ids(self, now: datetime, limit: int) -> list[str]:
        """Ids of PENDING entries whose activation moment is ``now`` or earlier, oldest first."""
        c = entries.c
        query = (
            select(c.id)
            .where(c.project_id == self.project_id, c.status == PENDING, c.activates_at <= now)
            .order_by(c.activates_at, c.seq)
            .limit(limit)
        )
        return [str(row) for row in self.conn.execute(query).scalars()]


def next_due_project(conn: Connection, now: datetime, exclude: Collection[str] = ()) -> str | None:
    """A project (not in ``exclude``) with pending points to activate at ``now``, or None."""
    c = entries.c
    query = (
        select(c.project_id)
        .where(c.status == PENDING, c.activates_at <= now)
        .order_by(c.activates_at)
        .limit(1)
    )
    if exclude:
        query = query.where(c.project_id.not_in(list(exclude)))
    found = conn.execute(query).scalar()
    return str(found) if found is not None else None


def next_activation(
    conn: Connection, project_id: str, after: datetime, until: datetime
) -> datetime | None:
    """The project's earliest activation of pending points in ``(after, until]``."""
    c = entries.c
    query = select(func.min(c.activates_at)).where(
        c.project_id == project_id,
        c.status == PENDING,
        c.activates_at > after,
        c.activates_at <= until,
    )
    found: datetime | None = conn.execute(query).scalar_one()
    return found
