"""Users of the management API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from openvoucher.adapters.db.schema.management import (
    project_users,
    users,
)
from openvoucher.kernel.scoped import ScopedRows


class ProjectUserRepository(ScopedRows):
    """SQL for the users assigned to a project (with their role)."""

    table = project_users

    def of_user(self, user_id: str) -> dict[str, Any] | None:
        """The assignment of one user, or None."""
        return self._first(self._scoped().where(project_users.c.user_id == user_id))

    def all(self) -> list[dict[str, Any]]:
        """Every assignment, oldest first."""
        c = project_users.c
        query = self._scoped().order_by(c.created_at, c.id)
        return [dict(r) for r in self.conn.execute(query).mappings()]


def get_user(conn: Connection, user_id: str) -> dict[str, Any] | None:
    """A user by id."""
    row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
    return dict(row) if row else None


def user_by_login(conn: Connection, login: str) -> dict[str, Any] | None:
    """A user by login (their e-mail address)."""
    row = conn.execute(select(users).where(users.c.login == login)).mappings().first()
    return dict(row) if row else None


def insert_user(conn: Connection, row: dict[str, Any]) -> None:
    """Store a new user."""
    conn.execute(insert(users).values(**row))


def roles_of(conn: Connection, user_ids: list[str]) -> dict[str, dict[str, str]]:
    """Every project role of each user: ``{user_id: {project_id: role}}``."""
    c = project_users.c
    query = (
        select(c.user_id, c.project_id, c.role)
        .where(c.user_id.in_(user_ids))
        .order_by(c.created_at, c.id)
    )
    out: dict[str, dict[str, str]] = {user_id: {} for user_id in user_ids}
    for row in conn.execute(query).mappings():
        out[row["user_id"]][row["project_id"]] = row["role"]
    return out
