"""The base of repositories whose rows are read and written by id within one project."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update


class ScopedRows:
    """Get/insert/update/delete of one table's rows by id, every query filtered on the project.

    Subclasses name their ``table`` (with ``id`` and ``project_id`` columns).
    """

    table: Table

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _scoped(self) -> Any:
        """``SELECT`` of the table's rows of this project."""
        return select(self.table).where(self.table.c.project_id == self.project_id)

    def _first(self, query: Any) -> dict[str, Any] | None:
        """The first row ``query`` finds, or None."""
        found = self.conn.execute(query).mappings().first()
        return dict(found) if found else None

    def _count(self, *conditions: Any) -> int:
        """How many of the project's rows meet ``conditions``."""
        where = (self.table.c.project_id == self.project_id, *conditions)
        query = select(func.count()).select_from(self.table).where(*where)
        return int(self.conn.execute(query).scalar_one())

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
