"""Users of the management API and their assignments to projects."""

from __future__ import annotations

from sqlalchemy import Connection, RowMapping, insert, select

from openvoucher.adapters.db.schema.management import project_users, users
from openvoucher.kernel.scoped import ScopedRows
from openvoucher.platform.model import ProjectUser, User


def _user(row: RowMapping) -> User:
    attrs = row["attrs"]
    return User(
        id=row["id"],
        login=row["login"],
        email=attrs.get("email"),
        first_name=attrs.get("first_name"),
        last_name=attrs.get("last_name"),
        is_owner=bool(attrs.get("is_owner")),
        created_at=row["created_at"],
        invited_at=row["invited_at"],
    )


def _assignment(row: RowMapping) -> ProjectUser:
    return ProjectUser(
        id=row["id"],
        user_id=row["user_id"],
        role=row["role"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class ProjectUserRepository(ScopedRows):
    """SQL for the users assigned to a project (with their role)."""

    table = project_users

    def of_user(self, user_id: str) -> ProjectUser | None:
        """The assignment of one user, or None."""
        query = self._scoped().where(project_users.c.user_id == user_id)
        row = self.conn.execute(query).mappings().first()
        return _assignment(row) if row else None

    def all(self) -> list[ProjectUser]:
        """Every assignment, oldest first."""
        c = project_users.c
        query = self._scoped().order_by(c.created_at, c.id)
        return [_assignment(r) for r in self.conn.execute(query).mappings()]

    def add(self, assignment: ProjectUser) -> None:
        """Store an assignment."""
        self.insert(
            {
                "id": assignment.id,
                "user_id": assignment.user_id,
                "role": assignment.role,
                "created_at": assignment.created_at,
                "updated_at": assignment.updated_at,
            }
        )


def get_user(conn: Connection, user_id: str) -> User | None:
    """A user by id."""
    row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
    return _user(row) if row else None


def user_by_login(conn: Connection, login: str) -> User | None:
    """A user by login (their e-mail address)."""
    row = conn.execute(select(users).where(users.c.login == login)).mappings().first()
    return _user(row) if row else None


def insert_user(conn: Connection, user: User) -> None:
    """Store a new user."""
    names = {"first_name": user.first_name, "last_name": user.last_name}
    conn.execute(
        insert(users).values(
            id=user.id,
            login=user.login,
            attrs={**names, "email": user.email},
            invited_at=user.invited_at,
            created_at=user.created_at,
        )
    )


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
