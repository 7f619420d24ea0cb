"""Exports of one project (the CSV content is read only for downloads)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from openvoucher.adapters.db.schema.exports import exports

SUMMARY = [c for c in exports.c if c.name != "content"]


class ExportRepository:
    """SQL for exports, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def insert(self, row: dict[str, Any]) -> None:
        """Store a new export."""
        self.conn.execute(insert(exports).values(project_id=self.project_id, **row))

    def get(self, export_id: str) -> dict[str, Any] | None:
        """An export without its file."""
        query = select(*SUMMARY).where(
            exports.c.project_id == self.project_id, exports.c.id == export_id
        )
        found = self.conn.execute(query).mappings().first()
        return dict(found) if found else None

    def content(self, export_id: str) -> str | None:
        """The file of an export (None until it is done)."""
        query = select(exports.c.content).where(
            exports.c.project_id == self.project_id, exports.c.id == export_id
        )
        found = self.conn.execute(query).scalar_one_or_none()
        return str(found) if found is not None else None

    def update(self, export_id: str, values: dict[str, Any]) -> None:
        """Change columns of an export."""
        self.conn.execute(
            update(exports)
            .where(exports.c.project_id == self.project_id, exports.c.id == export_id)
            .values(**values)
        )
