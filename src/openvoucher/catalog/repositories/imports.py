"""Staged parts of bulk imports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from openvoucher.adapters.db.schema.imports import import_parts


class ImportPartRepository:
    """SQL for the staged parts of one project's imports."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def add(self, action_id: str, part: int, first_row: int, rows: Sequence[Any]) -> None:
        """Stage one part."""
        self.conn.execute(
            insert(import_parts).values(
                action_id=action_id,
                part=part,
                project_id=self.project_id,
                first_row=first_row,
                rows=list(rows),
            )
        )

    def get(self, action_id: str, part: int) -> dict[str, Any] | None:
        """One part, or None past the last."""
        query = select(import_parts).where(
            import_parts.c.project_id == self.project_id,
            import_parts.c.action_id == action_id,
            import_parts.c.part == part,
        )
        found = self.conn.execute(query).mappings().first()
        return dict(found) if found else None

    def count(self, action_id: str) -> int:
        """How many parts an import has."""
        query = select(func.count()).where(
            import_parts.c.project_id == self.project_id, import_parts.c.action_id == action_id
        )
        return int(self.conn.execute(query).scalar_one())

    def drop(self, action_id: str) -> None:
        """Forget the parts of a finished import."""
        self.conn.execute(
            delete(import_parts).where(
                import_parts.c.project_id == self.project_id, import_parts.c.action_id == action_id
            )
        )
