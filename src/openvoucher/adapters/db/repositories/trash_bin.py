"""SQL for the bin's entries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, literal, select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db.repositories.scoped import ScopedRows
from openvoucher.adapters.db.schema.catalog import vouchers
from openvoucher.adapters.db.schema.trash_bin import trash_bin_codes, trash_bin_entries
from openvoucher.domain.filters import Filters

_c = trash_bin_entries.c
_k = trash_bin_codes.c

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
        query = select(_c.resource_name).where(
            _c.project_id == self.project_id,
            _c.resource_type == resource_type,
            _c.resource_name.in_(names),
        )
        return set(self.conn.execute(query).scalars())

    def reserve_codes(self, entry_id: str, codes: Sequence[str]) -> None:
        """Keep ``codes`` taken while the entry ``entry_id`` is in the bin."""
        rows = [{"project_id": self.project_id, "entry_id": entry_id, "code": c} for c in codes]
        if rows:
            self.conn.execute(insert(trash_bin_codes), rows)

    def reserve_campaign_codes(self, entry_id: str, campaign_id: str) -> None:
        """Keep the codes of every voucher of the campaign taken (one ``INSERT … SELECT``)."""
        v = vouchers.c
        codes = select(v.project_id, literal(entry_id), v.code).where(
            v.project_id == self.project_id, v.campaign_id == campaign_id
        )
        columns = ["project_id", "entry_id", "code"]
        self.conn.execute(insert(trash_bin_codes).from_select(columns, codes))

    def taken_codes(self, codes: Sequence[str]) -> set[str]:
        """Which of ``codes`` are held by bin entries."""
        if not codes:
            return set()
        query = select(_k.code).where(_k.project_id == self.project_id, _k.code.in_(codes))
        return set(self.conn.execute(query).scalars())

    def holds_codes(self) -> bool:
        """Whether the bin holds any voucher code."""
        query = select(_k.code).where(_k.project_id == self.project_id).limit(1)
        return self.conn.execute(query).first() is not None

    def release_codes(self, entry_id: str) -> None:
        """Free the codes held under ``entry_id``."""
        self.conn.execute(
            delete(trash_bin_codes).where(_k.project_id == self.project_id, _k.entry_id == entry_id)
        )

    def remove(self, entry_id: str) -> None:
        """Delete the entry and free the codes it held."""
        self.release_codes(entry_id)
        self.delete(entry_id)
