"""Removing everything a project owns, table by table, dependants first."""

from __future__ import annotations

from sqlalchemy import Connection, delete

from openvoucher.adapters.db.schema import metadata
from openvoucher.adapters.db.schema.core import api_keys, projects


def delete_project(conn: Connection, project_id: str) -> None:
    """Delete the project's rows in every table with a ``project_id``, its keys, then it."""
    for table in reversed(metadata.sorted_tables):
        if table is projects or "project_id" not in table.c:
            continue
        conn.execute(delete(table).where(table.c.project_id == project_id))
    conn.execute(delete(api_keys).where(api_keys.c.project_id == project_id))
    conn.execute(delete(projects).where(projects.c.id == project_id))
