"""Async actions: per-project reads and writes, and the runner's cross-project claim."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, insert, or_, select, update

from openvoucher.adapters.db.schema.catalog import async_actions
from openvoucher.platform.model import AsyncAction

UNFINISHED = ("ENQUEUED", "IN_PROGRESS")


def _action(row: RowMapping) -> AsyncAction:
    return AsyncAction(
        id=row["id"],
        project_id=row["project_id"],
        type=row["type"],
        status=row["status"],
        operation_status=row["operation_status"],
        progress=row["progress"],
        request=row["request"] or {},
        result=row["result"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        processing_time=row["processing_time"],
        locked_until=row["locked_until"],
    )


class AsyncActionRepository:
    """SQL for async actions, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _scoped(self) -> Any:
        return select(async_actions).where(async_actions.c.project_id == self.project_id)

    def get(self, action_id: str) -> AsyncAction | None:
        """By id."""
        found = self.conn.execute(self._scoped().where(async_actions.c.id == action_id))
        row = found.mappings().first()
        return _action(row) if row else None

    def insert(self, action: AsyncAction) -> None:
        """Store a new action."""
        self.conn.execute(
            insert(async_actions).values(
                id=action.id,
                project_id=self.project_id,
                type=action.type,
                status=action.status,
                operation_status=action.operation_status,
                progress=action.progress,
                request=action.request,
                result=action.result,
                created_at=action.created_at,
                updated_at=action.updated_at,
                processing_time=action.processing_time,
                locked_until=action.locked_until,
            )
        )

    def update(self, action_id: str, values: dict[str, Any]) -> None:
        """Change columns of an action."""
        self.conn.execute(
            update(async_actions)
            .where(async_actions.c.project_id == self.project_id, async_actions.c.id == action_id)
            .values(**values)
        )

    def page(self, *, limit: int, end_date: datetime | None) -> list[AsyncAction]:
        """Newest actions first, created before ``end_date`` when given (``limit + 1`` probe
        is the caller's business)."""
        query = self._scoped()
        if end_date is not None:
            query = query.where(async_actions.c.created_at < end_date)
        query = query.order_by(async_actions.c.created_at.desc(), async_actions.c.id.desc())
        return [_action(r) for r in self.conn.execute(query.limit(limit)).mappings()]


def claim_next(conn: Connection, wall_now: datetime, lease_until: datetime) -> AsyncAction | None:
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
    return replace(_action(found), status="IN_PROGRESS", locked_until=lease_until)
