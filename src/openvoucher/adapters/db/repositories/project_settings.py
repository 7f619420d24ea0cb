"""Metadata schemas and stacking rules of one project."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from openvoucher.adapters.db.schema.project_settings import metadata_schemas, stacking_rules


class _SettingsRepository:
    table: Table

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _scoped(self) -> Any:
        return select(self.table).where(self.table.c.project_id == self.project_id)

    def _first(self, query: Any) -> dict[str, Any] | None:
        found = self.conn.execute(query).mappings().first()
        return dict(found) if found else None

    def get(self, row_id: str) -> dict[str, Any] | None:
        """By id."""
        return self._first(self._scoped().where(self.table.c.id == row_id))

    def insert(self, row: dict[str, Any]) -> None:
        """Store a new row."""
        self.conn.execute(insert(self.table).values(project_id=self.project_id, **row))

    def update(self, row_id: str, values: dict[str, Any]) -> None:
        """Change columns of one row."""
        c = self.table.c
        self.conn.execute(
            update(self.table)
            .where(c.project_id == self.project_id, c.id == row_id)
            .values(**values)
        )

    def delete(self, row_id: str) -> None:
        """Remove one row."""
        c = self.table.c
        self.conn.execute(delete(self.table).where(c.project_id == self.project_id, c.id == row_id))


class MetadataSchemaRepository(_SettingsRepository):
    """SQL for metadata schemas."""

    table = metadata_schemas

    def get_for(self, related_object: str) -> dict[str, Any] | None:
        """The schema of one resource type."""
        return self._first(
            self._scoped().where(metadata_schemas.c.related_object == related_object)
        )

    def all(self) -> list[dict[str, Any]]:
        """Every schema, oldest first."""
        query = self._scoped().order_by(metadata_schemas.c.created_at, metadata_schemas.c.id)
        return [dict(r) for r in self.conn.execute(query).mappings()]


class StackingRulesRepository(_SettingsRepository):
    """SQL for the project's (single) stacking rules row."""

    table = stacking_rules

    def current(self) -> dict[str, Any] | None:
        """The project's own rules, or None when it uses the defaults."""
        return self._first(self._scoped())
