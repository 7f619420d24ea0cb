"""Async actions: per-project reads and writes, and the runner's cross-project claim."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from openvoucher.adapters.db.schema.catalog import async_actions

UNFINISHED = ("ENQUEUED", "IN_PROGRESS")


class AsyncActionRepository:
    """SQL for async actions, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _scoped(self) -> Any:
        return select(async_actions).where(async_actions.c.project_id == self.project_id)

    def get(self, action_id: str) -> dict[str, Any] | None:
        """By id."""
        found = self.conn.execute(self._scoped().where(async_actions.c.id == action_id))
        row = found.mappings().first()
        return dict(row) if row else None

    def insert(self, row: dict[str, Any]) -> None:
        """Store a new action."""
        self.conn.execute(insert(async_actions).values(project_id=self.project_id, **row))

    def update(self, action_id: str, values: dict[str, Any]) -> None:
        """Change columns of an action."""
        self.conn.execute(
            update(async_actions)
            .where(async_actions.c.project_id == self.project_id, async_actions.c.id == action_id)
            .values(**values)
        )

    def page(self, *, limit: int, end_date: datetime | None) -> list[dict[str, Any]]:
        """Newest actions first, created before ``end_date`` when given (``limit + 1`` probe
        is the caller's business)."""
        query = self._scoped()
        if end_date is not None:
            query = query.where(async_actions.c.created_at < end_date)
        query = query.order_by(async_actions.c.created_at.desc(), async_actions.c.id.desc())
        return [dict(r) for r in self.conn.execute(query.limit(limit)).mappings()]


def claim_next(
    conn: Connection, wall_now: datetime, lease_until: datetime
) -> dict[str, Any] | None:
    """Take the oldest unfinished action whose lease is free or expired, leasing it.

    Works across projects (the runner serves them all); ``FOR UPDATE SKIP LOCKED`` keeps two
    PostgreSQL processes from taking the same action, SQLite's write lock does the same there.
    """
    c = async_actions.c
    due = (c.status.in_(UNFINISHED), or_(c.locked_until.is_(None), c.locked_until < wall_now))
    query = select(async_actions).where(*due).order_by(c.created_at, c.id).limit(1)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    found = conn.execute(query).mappings().first()
    if found is None:
        return None
    conn.execute(
        update(async_actions)
        .where(c.id == found["id"])
        .values(status="IN_PROGRESS", locked_until=lease_until)
    )
    return {**dict(found), "status": "IN_PROGRESS", "locked_until": lease_until}
