"""SQL for the bin's entries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import RowMapping, bindparam, delete, insert, literal, select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.catalog import vouchers
from openvoucher.adapters.db.schema.trash_bin import trash_bin_entries, trash_bin_keys
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.scoped import ScopedRows
from openvoucher.platform.model import BinEntry

_c = trash_bin_entries.c
_k = trash_bin_keys.c

FILTER_FIELDS: dict[str, listing.FieldRef] = {
    "id": listing.column(_c.id, "string"),
    "resource_type": listing.column(_c.resource_type, "string"),
    "resource_name": listing.column(_c.resource_name, "string"),
    "resource_id": listing.column(_c.resource_id, "string"),
}

# Prebuilt (see ``prepared``): voucher creation asks whether its code is held on every call.
HELD_ONE = (
    select(_k.value)
    .where(
        _k.project_id == bindparam(PROJECT),
        _k.kind == bindparam("_kind"),
        _k.value == bindparam("_value"),
    )
    .limit(1)
)
HOLDS_ANY = (
    select(_k.value)
    .where(_k.project_id == bindparam(PROJECT), _k.kind == bindparam("_kind"))
    .limit(1)
)


def _entry(row: RowMapping) -> BinEntry:
    return BinEntry(
        id=row["id"],
        resource_type=row["resource_type"],
        resource_id=row["resource_id"],
        resource_name=row["resource_name"],
        resource_parent_id=row["resource_parent_id"],
        deleted_by_user_id=row["deleted_by_user_id"],
        created_at=row["created_at"],
    )


class TrashBinRepository(ScopedRows):
    """Bin entries of one project."""

    table = trash_bin_entries

    def page(
        self, limit: int, after: str | None, descending: bool, filters: Filters, now: datetime
    ) -> list[BinEntry]:
        """Up to ``limit`` entries matching ``filters`` in id order, after the entry ``after``."""
        query = self._scoped()
        clause = listing.where(filters, FILTER_FIELDS, self.conn.dialect, now)
        if clause is not None:
            query = query.where(clause)
        if after is not None:
            query = query.where(_c.id < after if descending else _c.id > after)
        query = query.order_by(_c.id.desc() if descending else _c.id).limit(limit)
        return [_entry(r) for r in self.conn.execute(query).mappings()]

    def binned_names(self, resource_type: str, names: Sequence[str]) -> set[str]:
        """Which of ``names`` belong to binned resources of ``resource_type``."""
        query = select(_c.resource_name).where(
            _c.project_id == self.project_id,
            _c.resource_type == resource_type,
            _c.resource_name.in_(names),
        )
        return set(self.conn.execute(query).scalars())

    def hold(self, entry_id: str, kind: str, values: Sequence[str]) -> None:
        """Keep ``values`` of ``kind`` taken while the entry ``entry_id`` is in the bin."""
        rows = [
            {"project_id": self.project_id, "entry_id": entry_id, "kind": kind, "value": value}
            for value in dict.fromkeys(values)
        ]
        if rows:
            self.conn.execute(insert(trash_bin_keys), rows)

    def hold_campaign_codes(self, entry_id: str, campaign_id: str) -> None:
        """Keep the codes of every voucher of the campaign taken (one ``INSERT … SELECT``)."""
        v = vouchers.c
        codes = select(v.project_id, literal(entry_id), literal("voucher"), v.code).where(
            v.project_id == self.project_id, v.campaign_id == campaign_id
        )
        columns = ["project_id", "entry_id", "kind", "value"]
        self.conn.execute(insert(trash_bin_keys).from_select(columns, codes))

    def held(self, kind: str, values: Sequence[str]) -> set[str]:
        """Which of ``values`` of ``kind`` are held by bin entries."""
        if not values:
            return set()
        query = select(_k.value).where(
            _k.project_id == self.project_id, _k.kind == kind, _k.value.in_(values)
        )
        return set(self.conn.execute(query).scalars())

    def is_held(self, kind: str, value: str) -> bool:
        """Whether a bin entry holds ``value`` of ``kind``."""
        params = {PROJECT: self.project_id, "_kind": kind, "_value": value}
        return prepared.first(self.conn, HELD_ONE, params) is not None

    def holds_any(self, kind: str) -> bool:
        """Whether the bin holds any value of ``kind``."""
        params = {PROJECT: self.project_id, "_kind": kind}
        return prepared.first(self.conn, HOLDS_ANY, params) is not None

    def release(self, entry_id: str) -> None:
        """Free everything held under ``entry_id``."""
        self.conn.execute(
            delete(trash_bin_keys).where(_k.project_id == self.project_id, _k.entry_id == entry_id)
        )

    def remove(self, entry_id: str) -> None:
        """Delete the entry and free what it held."""
        self.release(entry_id)
        self.delete(entry_id)
