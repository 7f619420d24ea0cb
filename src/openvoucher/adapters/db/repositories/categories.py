"""Categories of one project."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select, update

from openvoucher.adapters.db.schema.catalog import categories


class CategoryRepository:
    """SQL for categories, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _scoped(self) -> Any:
        return select(categories).where(categories.c.project_id == self.project_id)

    def _first(self, query: Any) -> dict[str, Any] | None:
        found = self.conn.execute(query).mappings().first()
        return dict(found) if found else None

    def get(self, category_id: str) -> dict[str, Any] | None:
        """By id."""
        return self._first(self._scoped().where(categories.c.id == category_id))

    def get_by_name(self, name: str) -> dict[str, Any] | None:
        """By its (per-project unique) name."""
        return self._first(self._scoped().where(categories.c.name == name))

    def get_by_id_or_name(self, ident: str) -> dict[str, Any] | None:
        """By id, falling back to name."""
        query = self._scoped().where(or_(categories.c.id == ident, categories.c.name == ident))
        rows = [dict(r) for r in self.conn.execute(query).mappings()]
        rows.sort(key=lambda r: r["id"] != ident)
        return rows[0] if rows else None

    def get_many(self, category_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The categories with these ids, by id (unknown ids are simply absent)."""
        wanted = sorted(set(category_ids))
        if not wanted:
            return {}
        query = self._scoped().where(categories.c.id.in_(wanted))
        return {r["id"]: dict(r) for r in self.conn.execute(query).mappings()}

    def all(self) -> list[dict[str, Any]]:
        """Every category, newest first."""
        query = self._scoped().order_by(categories.c.created_at.desc(), categories.c.id.desc())
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def insert(self, row: dict[str, Any]) -> None:
        """Store a new category."""
        self.conn.execute(insert(categories).values(project_id=self.project_id, **row))

    def update(self, category_id: str, values: dict[str, Any]) -> None:
        """Change columns of a category."""
        self.conn.execute(
            update(categories)
            .where(categories.c.project_id == self.project_id, categories.c.id == category_id)
            .values(**values)
        )

    def delete(self, category_id: str) -> None:
        """Remove a category (campaigns and vouchers referring to it lose the reference)."""
        self.conn.execute(
            delete(categories).where(
                categories.c.project_id == self.project_id, categories.c.id == category_id
            )
        )
