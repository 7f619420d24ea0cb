"""Loyalty v2 rows of one project: components (by kind), their activities and assignments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.loyalty_v2 import (
    loyalty_v2_activities,
    loyalty_v2_assignments,
    loyalty_v2_objects,
)
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.scoped import ScopedRows

objects = loyalty_v2_objects
FILTER_FIELDS = {
    "id": listing.column(objects.c.id, "string"),
    "name": listing.column(objects.c.name, "string"),
    "status": listing.column(objects.c.status, "string"),
    "type": listing.json_path(objects.c.attrs, "type", kind="string"),
    "created_at": listing.column(objects.c.created_at, "date"),
    "updated_at": listing.column(objects.c.updated_at, "date"),
}
"""Fields of ``filters[…]`` on every v2 component list."""
ORDER_COLUMNS = {"name": objects.c.name, "status": objects.c.status, "created_at": objects.c.seq}


@dataclass(frozen=True)
class Window:
    """A list request: ``order`` (fields, ``-`` descending), offset, limit and filters."""

    order: tuple[str, ...] = ("-created_at",)
    offset: int = 0
    limit: int = 10
    filters: Filters | None = None


class ObjectRepository(ScopedRows):
    """v2 components of one project (every kind in one table)."""

    table = loyalty_v2_objects

    def of_kind(self, kind: str, row_id: str, *, lock: bool = False) -> dict[str, Any] | None:
        """The ``kind`` row ``row_id`` (``lock``: for update)."""
        if not lock:  # every paid order reads its programme and wallets: built once
            params = {PROJECT: self.project_id, "_kind": kind, "_id": row_id}
            return prepared.first(self.conn, OF_KIND, params)
        query = self._scoped().where(objects.c.kind == kind, objects.c.id == row_id)
        return self._first(query.with_for_update() if lock else query)

    def by_ids(self, row_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The rows of ``row_ids`` (any kind) by id, in one statement built once."""
        params = {PROJECT: self.project_id, "_ids": row_ids}
        statement = prepared.for_dialect(self.conn, BY_IDS)
        return {row["id"]: row for row in prepared.all_rows(self.conn, statement, params)}

    def page(
        self, kind: str, window: Window, now: datetime, parent_id: str | None = None
    ) -> list[dict[str, Any]]:
        """``limit + 1`` rows of ``kind`` from ``offset`` (one more tells a next page exists)."""
        query = self._scoped().where(objects.c.kind == kind, objects.c.status != "DELETED")
        if parent_id is not None:
            query = query.where(objects.c.parent_id == parent_id)
        if window.filters:
            clause = listing.where(window.filters, FILTER_FIELDS, self.conn.dialect, now)
            if clause is not None:
                query = query.where(clause)
        for field in window.order:
            column = ORDER_COLUMNS.get(field.lstrip("-"), objects.c.seq)
            query = query.order_by(column.desc() if field.startswith("-") else column.asc())
        query = query.order_by(objects.c.seq.desc()).offset(window.offset).limit(window.limit + 1)
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def assigned(self, program_id: str, kind: str) -> list[dict[str, Any]]:
        """The programme's ACTIVE ``kind`` components, in one statement, oldest assignment
        first."""
        params = {PROJECT: self.project_id, "_program": program_id, "_kind": kind}
        return prepared.all_rows(self.conn, ASSIGNED, params)

    def children(self, parent_id: str) -> list[dict[str, Any]]:
        """The live rows under ``parent_id`` (a tier structure's tiers), oldest first."""
        query = self._scoped().where(
            objects.c.parent_id == parent_id, objects.c.status != "DELETED"
        )
        return [dict(r) for r in self.conn.execute(query.order_by(objects.c.seq)).mappings()]


OF_KIND = select(objects).where(
    objects.c.project_id == bindparam(PROJECT),
    objects.c.kind == bindparam("_kind"),
    objects.c.id == bindparam("_id"),
)
"""``ObjectRepository.of_kind``'s statement, unlocked (``adapters/db/prepared.py``)."""
BY_IDS = {
    dialect: select(objects).where(objects.c.project_id == bindparam(PROJECT), clause)
    for dialect, clause in prepared.in_ids(objects.c.id, "_ids").items()
}
"""``ObjectRepository.by_ids``'s statement, by dialect (see ``prepared.in_ids``)."""
_a = loyalty_v2_assignments.c
ASSIGNED = (
    select(objects)
    .join(loyalty_v2_assignments, _a.component_id == objects.c.id)
    .where(
        objects.c.project_id == bindparam(PROJECT),
        _a.project_id == bindparam(PROJECT),
        _a.program_id == bindparam("_program"),
        _a.kind == bindparam("_kind"),
        objects.c.status == "ACTIVE",
    )
    .order_by(_a.seq)
)
"""``ObjectRepository.assigned``'s statement."""


class ActivityRepository(ScopedRows):
    """What happened to each v2 object, in order."""

    table = loyalty_v2_activities

    def page(self, subject_id: str, offset: int, limit: int, newest: bool) -> list[dict[str, Any]]:
        """``limit + 1`` activities of ``subject_id`` from ``offset``."""
        c = self.table.c
        seq = c.seq.desc() if newest else c.seq.asc()
        query = self._scoped().where(c.subject_id == subject_id).order_by(seq)
        return [
            dict(r) for r in self.conn.execute(query.offset(offset).limit(limit + 1)).mappings()
        ]


class AssignmentRepository:
    """Which components each programme uses."""

    def __init__(self, conn: Any, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id
        self.table = loyalty_v2_assignments

    def _where(self, **equal: str) -> list[Any]:
        c = self.table.c
        return [c.project_id == self.project_id, *(c[k] == v for k, v in equal.items())]

    def add(
        self,
        program_id: str,
        kind: str,
        component_id: str,
        at: datetime,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        """Assign ``component_id`` to the programme (``attrs``: a reward's stock)."""
        row = {"program_id": program_id, "kind": kind, "component_id": component_id}
        values = {"project_id": self.project_id, "attrs": attrs or {}, "created_at": at, **row}
        self.conn.execute(insert(self.table).values(**values))

    def locked(self, program_id: str, component_id: str) -> dict[str, Any] | None:
        """One assignment, locked for the transaction."""
        where = self._where(program_id=program_id, component_id=component_id)
        found = self.conn.execute(select(self.table).where(*where).with_for_update()).mappings()
        row = found.first()
        return dict(row) if row else None

    def remove(self, program_id: str, component_id: str) -> None:
        """Unassign ``component_id``."""
        where = self._where(program_id=program_id, component_id=component_id)
        self.conn.execute(delete(self.table).where(*where))

    def of_program(self, program_id: str, kind: str | None = None) -> list[dict[str, Any]]:
        """The programme's assignments (of ``kind``), oldest first."""
        where = self._where(program_id=program_id, **({"kind": kind} if kind else {}))
        query = select(self.table).where(*where).order_by(self.table.c.seq)
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def of_component(self, component_id: str) -> list[dict[str, Any]]:
        """The programmes ``component_id`` is assigned to."""
        query = select(self.table).where(*self._where(component_id=component_id))
        return [dict(r) for r in self.conn.execute(query).mappings()]

    def count(self, program_id: str, kind: str) -> int:
        """How many ``kind`` components the programme has."""
        query = select(func.count()).select_from(self.table)
        return int(
            self.conn.execute(
                query.where(*self._where(program_id=program_id, kind=kind))
            ).scalar_one()
        )

    def set_attrs(self, program_id: str, component_id: str, attrs: dict[str, Any]) -> None:
        """Replace an assignment's attrs (a wallet's backing campaign)."""
        where = self._where(program_id=program_id, component_id=component_id)
        self.conn.execute(self.table.update().where(*where).values(attrs=attrs))
