"""Customer segments of one project, the members of static ones, and which customers meet
a segment's filter."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, case, insert, literal, select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.catalog import customers
from openvoucher.adapters.db.schema.segments import segment_customers, segments
from openvoucher.customers.model import Segment
from openvoucher.customers.repositories.customers import FILTER_FIELDS
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.scoped import ScopedRows

CUSTOMER_FILTER_KINDS = listing.kinds(FILTER_FIELDS)
"""The customer fields (and their kinds) a segment's ``filter`` may use."""
FILTERED = ("auto-update", "passive")
"""Segment types whose members are the customers meeting their ``filter``."""


_MET_STATEMENTS: dict[tuple[Any, ...], Any] = {}
"""Built membership statements by dialect and (segment id, filters); see ``met_by``."""
_MET_CACHE_SIZE = 512


def _relative(filters: Filters) -> bool:
    """Whether a condition compares a date with a time relative to now (days ago)."""
    return any(
        c.kind == "date" and c.op in {"$more_than", "$less_than"} for c in filters.conditions
    )


def _segment(row: Mapping[str, Any]) -> Segment:
    return Segment(
        id=row["id"],
        name=row["name"],
        type=row["type"],
        filter=(row["attrs"] or {}).get("filter"),
        created_at=row["created_at"],
    )


class SegmentRepository(ScopedRows):
    """SQL for segments, scoped to one project."""

    table = segments

    def segment(self, segment_id: str) -> Segment | None:
        """By id."""
        query = self._scoped().where(segments.c.id == segment_id)
        row = self.conn.execute(query).mappings().first()
        return _segment(dict(row)) if row else None

    def add(self, segment: Segment) -> None:
        """Store a new segment (a static one's customers: :meth:`add_members`)."""
        self.insert(
            {
                "id": segment.id,
                "name": segment.name,
                "type": segment.type,
                "attrs": {"filter": segment.filter},
                "created_at": segment.created_at,
            }
        )

    def filtered(self) -> list[Segment]:
        """The project's auto-update and passive segments, oldest first."""
        params = {PROJECT: self.project_id}
        return [_segment(r) for r in prepared.all_rows(self.conn, FILTERED_SEGMENTS, params)]

    def active(self) -> list[Segment]:
        """The project's auto-update segments, oldest first."""
        params = {PROJECT: self.project_id}
        return [_segment(r) for r in prepared.all_rows(self.conn, ACTIVE_SEGMENTS, params)]

    def add_members(self, segment_id: str, customer_ids: Iterable[str]) -> None:
        """Store a static segment's customers."""
        rows = [
            {"segment_id": segment_id, "customer_id": cid, "project_id": self.project_id}
            for cid in customer_ids
        ]
        if rows:
            self.conn.execute(insert(segment_customers), rows)

    def static_of(self, customer_id: str) -> list[Segment]:
        """The static segments listing the customer, oldest first."""
        params = {PROJECT: self.project_id, "_customer": customer_id}
        return [_segment(r) for r in prepared.all_rows(self.conn, STATIC_OF_CUSTOMER, params)]

    def met_by(
        self, customer_id: str, filters: Mapping[str, Filters], now: datetime, lock: bool = False
    ) -> set[str]:
        """The keys of ``filters`` whose conditions the customer meets now (one query; the
        statement is built once per set of filters unless a condition is relative to now).
        ``lock``: the customer row is locked first (``FOR UPDATE``), so concurrent writes of
        the same customer judge its membership one after the other."""
        if not filters:
            return set()
        keys = list(filters)
        params = {PROJECT: self.project_id, "_customer": customer_id}
        statement = self._met_statement(keys, filters, now, lock)
        row = self.conn.execute(statement, params).first()
        if row is None:
            return set()
        return {key for n, key in enumerate(keys) if row[n + 1]}

    def _met_statement(
        self, keys: list[str], filters: Mapping[str, Filters], now: datetime, lock: bool
    ) -> Any:
        cache_key = (self.conn.dialect.name, lock, *((key, filters[key]) for key in keys))
        found = _MET_STATEMENTS.get(cache_key)
        if found is not None:
            return found
        columns = [
            case((self._clause(filters[key], now), 1), else_=0).label(f"m{n}")
            for n, key in enumerate(keys)
        ]
        statement = select(literal(1), *columns).where(
            customers.c.project_id == bindparam(PROJECT), customers.c.id == bindparam("_customer")
        )
        if lock:
            statement = statement.with_for_update(of=customers)
        if not any(_relative(filters[key]) for key in keys):
            if len(_MET_STATEMENTS) >= _MET_CACHE_SIZE:
                _MET_STATEMENTS.clear()
            _MET_STATEMENTS[cache_key] = statement
        return statement

    def customers_meeting(self, filters: Filters, now: datetime) -> list[dict[str, Any]]:
        """The project's customers meeting ``filters`` now, oldest first."""
        c = customers.c
        query = (
            select(customers)
            .where(c.project_id == self.project_id, self._clause(filters, now))
            .order_by(c.created_at, c.id)
        )
        return [dict(row) for row in self.conn.execute(query).mappings()]

    def _clause(self, filters: Filters, now: datetime) -> ColumnElement[bool]:
        clause = listing.where(filters, FILTER_FIELDS, self.conn.dialect, now)
        assert clause is not None, "a segment filter holds at least one condition"
        return clause

    def count_filtered(self) -> int:
        """How many auto-update and passive segments the project has."""
        return self._count(segments.c.type.in_(FILTERED))


_SCOPED = select(segments).where(segments.c.project_id == bindparam(PROJECT))
FILTERED_SEGMENTS = _SCOPED.where(segments.c.type.in_(FILTERED)).order_by(
    segments.c.created_at, segments.c.id
)
ACTIVE_SEGMENTS = _SCOPED.where(segments.c.type == "auto-update").order_by(
    segments.c.created_at, segments.c.id
)
STATIC_OF_CUSTOMER = (
    _SCOPED.join(segment_customers, segment_customers.c.segment_id == segments.c.id)
    .where(segment_customers.c.customer_id == bindparam("_customer"))
    .order_by(segments.c.created_at, segments.c.id)
)
