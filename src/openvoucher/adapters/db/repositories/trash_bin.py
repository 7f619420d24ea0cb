"""SQL for the bin's entries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db.repositories.scoped import ScopedRows
from openvoucher.adapters.db.schema.trash_bin import trash_bin_entries
from openvoucher.domain.filters import Filters

_c = trash_bin_entries.c

FILTER_FIELDS: dict[str, listing.FieldRef] = {
    "id": listing.column(_c.id, "string"),
    "resource_type": listing.column(_c.resource_type, "string"),
    "resource_name": listing.column(_c.resource_name, "string"),
    "resource_id": listing.column(_c.resource_id, "string"),
}


class TrashBinRepository(ScopedRows):
    """Bin entries of one project."""

    table = trash_bin_entries

    def page(
        self, limit: int, after: str | None, descending: bool, filters: Filters, now: datetime
    ) -> list[dict[str, Any]]:
        """Up to ``limit`` entries matching ``filters`` in id order, after the entry ``after``."""
        query = self._scoped()
        clause = listing.where(filters, FILTER_FIELDS, self.conn.dialect, now)
        if clause is not None:
            query = query.where(clause)
        if after is not None:
            query = query.where(_c.id < after if descending else _c.id > after)
        query = query.order_by(_c.id.desc() if descending else _c.id).limit(limit)
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def binned_names(self, resource_type: str, names: Sequence[str]) -> set[str]:
        """Which of ``names`` belong to binned resources of ``resource_type``."""
        if not names:
            return set()
        query = select(_c.resource_name).where(
            _c.project_id == self.project_id,
            _c.resource_type == resource_type,
            _c.resource_name.in_(names),
        )
        return set(self.conn.execute(query).scalars())

    def has_type(self, resource_type: str) -> bool:
        """Whether any entry of ``resource_type`` is in the bin."""
        query = self._scoped().with_only_columns(_c.id).where(_c.resource_type == resource_type)
        return self.conn.execute(query.limit(1)).first() is not None
