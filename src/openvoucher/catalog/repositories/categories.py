"""Categories of one project."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_

from openvoucher.adapters.db.schema.catalog import categories
from openvoucher.kernel.scoped import ScopedRows


class CategoryRepository(ScopedRows):
    """SQL for categories, scoped to one project (deleting one leaves the campaigns and
    vouchers referring to it without the reference)."""

    table = categories

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
