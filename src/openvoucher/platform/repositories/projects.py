"""Projects and API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.schema.core import api_keys, projects


def insert_project(
    conn: Connection,
    *,
    project_id: str,
    name: str,
    webhook_token: str,
    attrs: dict[str, Any],
    now: datetime,
    is_default: bool = False,
) -> None:
    """Store a new project."""
    conn.execute(
        insert(projects).values(
            id=project_id,
            name=name,
            is_default=is_default,
            webhook_token=webhook_token,
            attrs=attrs,
            created_at=now,
        )
    )


_BY_ID = select(projects).where(projects.c.id == bindparam("_id"))
"""Built once (``adapters.db.prepared``): read on every redemption (the project's zone)."""


def get_project(conn: Connection, project_id: str) -> dict[str, Any] | None:
    """One project row as a dict, or None."""
    return prepared.first(conn, _BY_ID, {"_id": project_id})


def default_project(conn: Connection) -> dict[str, Any] | None:
    """The default project's row, or None before the first start."""
    query = select(projects).where(projects.c.is_default.is_(True))
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def list_projects(conn: Connection) -> list[dict[str, Any]]:
    """All projects, oldest first."""
    query = select(projects).order_by(projects.c.created_at, projects.c.id)
    return [dict(row) for row in conn.execute(query).mappings()]


def update_project(conn: Connection, project_id: str, values: dict[str, Any]) -> None:
    """Change columns of one project."""
    conn.execute(update(projects).where(projects.c.id == project_id).values(**values))


def insert_key(
    conn: Connection,
    *,
    key_id: str,
    token: str,
    kind: str,
    project_id: str | None,
    now: datetime,
    label: str | None = None,
) -> None:
    """Store an API key pair."""
    conn.execute(
        insert(api_keys).values(
            key_id=key_id,
            token=token,
            kind=kind,
            project_id=project_id,
            label=label,
            created_at=now,
        )
    )


def get_key(conn: Connection, key_id: str) -> dict[str, Any] | None:
    """One key pair by its id, or None."""
    return prepared.first(conn, KEY_BY_ID, {"_key_id": key_id})


def keys_of(conn: Connection, *, kind: str, project_id: str | None) -> list[dict[str, Any]]:
    """Key pairs of one kind (for one project, or the management keys)."""
    query = select(api_keys).where(api_keys.c.kind == kind)
    if project_id is not None:
        query = query.where(api_keys.c.project_id == project_id)
    return [dict(row) for row in conn.execute(query.order_by(api_keys.c.created_at)).mappings()]


# Hot statements, built once (see ``adapters.db.prepared``).
KEY_BY_ID = select(api_keys).where(api_keys.c.key_id == bindparam("_key_id"))
