"""SQL of ``reset``: delete every row of one project, children before parents."""

from __future__ import annotations

from sqlalchemy import Connection, Table, delete, select

from openvoucher.adapters.db.schema import metadata

KEPT = frozenset(
    {
        "projects",
        "api_keys",
        "oauth_tokens",
        "dashboard_sessions",
        "webhook_endpoints",
        "project_users",
    }
)
"""The project itself, its keys (and the sessions and tokens opened with them), its webhook
endpoints (configuration) and its users' roles survive a reset."""


def _child_rows(table: Table, project_id: str) -> object | None:
    """For a table without ``project_id``: its rows whose parent belongs to the project."""
    for fk in table.foreign_keys:
        parent = fk.column.table
        if "project_id" in parent.c:
            owned = select(fk.column).where(parent.c.project_id == project_id)
            return fk.parent.in_(owned)
    return None


def empty_project(conn: Connection, project_id: str) -> dict[str, int]:
    """Delete the project's rows in every table but ``KEPT``; rows deleted per table."""
    counts: dict[str, int] = {}
    for table in reversed(metadata.sorted_tables):
        if table.name in KEPT:
            continue
        condition = (
            table.c.project_id == project_id
            if "project_id" in table.c
            else _child_rows(table, project_id)
        )
        if condition is None:
            continue
        deleted = conn.execute(delete(table).where(condition)).rowcount  # type: ignore[arg-type]
        if deleted:
            counts[table.name] = int(deleted)
    return counts
