"""Categories of one project."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import RowMapping, or_

from openvoucher.adapters.db.schema.catalog import categories
from openvoucher.catalog.model import Category
from openvoucher.kernel.scoped import ScopedRows


def _category(row: RowMapping) -> Category:
    return Category(
        id=row["id"],
        name=row["name"],
        hierarchy=row["hierarchy"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class CategoryRepository(ScopedRows):
    """SQL for categories, scoped to one project (deleting one leaves the campaigns and
    vouchers referring to it without the reference)."""

    table = categories

    def category(self, category_id: str) -> Category | None:
        """By id."""
        found = self.conn.execute(self._scoped().where(categories.c.id == category_id)).mappings()
        row = found.first()
        return _category(row) if row else None

    def get_by_name(self, name: str) -> Category | None:
        """By its (per-project unique) name."""
        row = self.conn.execute(self._scoped().where(categories.c.name == name)).mappings().first()
        return _category(row) if row else None

    def get_by_id_or_name(self, ident: str) -> Category | None:
        """By id, falling back to name."""
        query = self._scoped().where(or_(categories.c.id == ident, categories.c.name == ident))
        rows = [_category(r) for r in self.conn.execute(query).mappings()]
        rows.sort(key=lambda r: r.id != ident)
        return rows[0] if rows else None

    def get_many(self, category_ids: Iterable[str]) -> dict[str, Category]:
        """The categories with these ids, by id (unknown ids are simply absent)."""
        wanted = sorted(set(category_ids))
        if not wanted:
            return {}
        query = self._scoped().where(categories.c.id.in_(wanted))
        return {r["id"]: _category(r) for r in self.conn.execute(query).mappings()}

    def all(self) -> list[Category]:
        """Every category, newest first."""
        query = self._scoped().order_by(categories.c.created_at.desc(), categories.c.id.desc())
        return [_category(r) for r in self.conn.execute(query).mappings()]
