"""Customers of one project."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.hot import HotRead
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.catalog import customers
from openvoucher.adapters.db.schema.segments import segment_customers
from openvoucher.kernel.filters import NO_FILTERS, Filters

ORDER_COLUMNS = {
    "created_at": customers.c.created_at,
    "updated_at": customers.c.updated_at,
    "source_id": customers.c.source_id,
}

PREFIX_COLUMNS = {
    "name": customers.c.name,
    "email": customers.c.email,
    "source_id": customers.c.source_id,
}
"""Fields searched by prefix through their ``lower()`` indexes (the dashboard's search)."""

FILTER_FIELDS = {
    "id": listing.column(customers.c.id, "string"),
    "source_id": listing.column(customers.c.source_id, "string"),
    "name": listing.column(customers.c.name, "string"),
    "email": listing.column(customers.c.email, "string"),
    "created_at": listing.column(customers.c.created_at, "date"),
    "updated_at": listing.column(customers.c.updated_at, "date"),
    "description": listing.json_path(customers.c.attrs, "description", kind="string"),
    "phone": listing.json_path(customers.c.attrs, "phone", kind="string"),
    "birthdate": listing.json_path(customers.c.attrs, "birthdate", kind="string"),
    "address.*": listing.json_path(customers.c.attrs, "address"),
    "metadata.*": listing.json_path(customers.c.attrs, "metadata"),
}
"""Fields of ``GET /v1/customers?filters[…]``."""


@dataclass(frozen=True)
class CustomerFilter:
    """Filters of ``GET /v1/customers``."""

    email: str | None = None
    name: str | None = None
    city: str | None = None
    created_before: datetime | None = None
    created_after: datetime | None = None
    updated_before: datetime | None = None
    updated_after: datetime | None = None
    filters: Filters = NO_FILTERS
    now: datetime | None = None
    starting_after: datetime | None = None
    """Cursor: rows created after it (ascending ``created_at`` order) or else before it."""
    ascending: bool = False
    segment_members: str | None = None
    """Only the customers a static segment (this id) lists."""
    segment_filter: Filters = NO_FILTERS
    """Only the customers meeting an auto-update or passive segment's filter."""
    prefix: tuple[str, str] | None = None
    """``(field, text)``: ``name``, ``email`` or ``source_id`` starting with ``text``, any
    case; a range on the field's ``lower()`` index, not a ``LIKE`` scan."""
    after_id: str | None = None
    """Keyset cursor for newest-first pages: the customers listed after this one
    (``created_at`` descending, then id), on the created index, never an offset."""


class CustomerRepository:
    """SQL for customers, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _scoped(self) -> Any:
        return select(customers).where(customers.c.project_id == self.project_id)

    def get(self, customer_id: str) -> dict[str, Any] | None:
        """By id."""
        return prepared.first(self.conn, BY_ID, {PROJECT: self.project_id, "_id": customer_id})

    def locked(self, customer_id: str) -> dict[str, Any] | None:
        """By id, locking the row until the transaction ends (PostgreSQL ``FOR UPDATE``;
        SQLite's writers hold the database lock already): read-modify-writes of the row's
        counters cannot lose a concurrent update (docs/adr/0026-atomic-counters.md)."""
        query = self._scoped().where(customers.c.id == customer_id).with_for_update()
        row = self.conn.execute(query).mappings().first()
        return dict(row) if row is not None else None

    def change_attrs(
        self, customer_id: str, change: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> dict[str, Any] | None:
        """Lock the customer, apply ``change`` to its current ``attrs`` and store the result;
        the locked row as it was, or None when there is no such customer."""
        row = self.locked(customer_id)
        if row is not None:
            self.update(customer_id, {"attrs": change(dict(row["attrs"]))})
        return row

    def get_by_source_id(self, source_id: str) -> dict[str, Any] | None:
        """By source id."""
        params = {PROJECT: self.project_id, "_source_id": source_id}
        return prepared.first(self.conn, BY_SOURCE_ID, params)

    def get_by_email(self, email: str) -> dict[str, Any] | None:
        """The oldest customer with this email."""
        return prepared.first(self.conn, BY_EMAIL, {PROJECT: self.project_id, "_email": email})

    def get_by_id_or_source_id(self, ident: str) -> dict[str, Any] | None:
        """By id, falling back to source id (as Voucherify's paths accept either)."""
        params = {PROJECT: self.project_id, "_ident": ident}
        rows = _id_first(prepared.all_rows(self.conn, BY_ID_OR_SOURCE_ID, params), ident)
        return rows[0] if rows else None

    def insert_unless_taken(self, row: dict[str, Any]) -> bool:
        """Store a new customer unless its ``source_id`` is taken (by a concurrent
        transaction too: PostgreSQL waits for it, then skips); whether it was stored."""
        insert_into = pg_insert if self.conn.dialect.name == "postgresql" else sqlite_insert
        statement = (
            insert_into(customers)
            .values(project_id=self.project_id, **row)
            .on_conflict_do_nothing(index_elements=["project_id", "source_id"])
            .returning(customers.c.id)
        )
        return self.conn.execute(statement).first() is not None

    def update(self, customer_id: str, values: dict[str, Any]) -> None:
        """Change columns of a customer."""
        if prepared.plain(customers, values):
            self.conn.execute(UPDATE, {PROJECT: self.project_id, "_id": customer_id, **values})
            return
        self.conn.execute(
            update(customers)
            .where(customers.c.project_id == self.project_id, customers.c.id == customer_id)
            .values(**values)
        )

    def delete(self, customer_id: str) -> None:
        """Remove a customer."""
        self.conn.execute(
            delete(customers).where(
                customers.c.project_id == self.project_id, customers.c.id == customer_id
            )
        )

    def page(
        self, filters: CustomerFilter, *, order: str, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of customers and the total matching."""
        conditions = self._conditions(filters)
        base = self._scoped().where(*conditions)
        column = ORDER_COLUMNS[order.lstrip("-")]
        ordering = column.desc() if order.startswith("-") else column.asc()
        query = base.order_by(ordering, customers.c.id).limit(limit).offset(offset)
        rows = [dict(r) for r in self.conn.execute(query).mappings()]
        count = (
            select(func.count())
            .select_from(customers)
            .where(customers.c.project_id == self.project_id, *conditions)
        )
        return rows, int(self.conn.execute(count).scalar_one())

    def _conditions(self, f: CustomerFilter) -> list[Any]:
        c = customers.c
        conditions: list[Any] = []
        if f.email is not None:
            conditions.append(c.email == f.email)
        if f.name is not None:
            conditions.append(c.name == f.name)
        if f.city is not None:
            conditions.append(c.attrs["address"]["city"].as_string() == f.city)
        for value, column, before in (
            (f.created_before, c.created_at, True),
            (f.created_after, c.created_at, False),
            (f.updated_before, c.updated_at, True),
            (f.updated_after, c.updated_at, False),
        ):
            if value is not None:
                conditions.append(column < value if before else column > value)
        if f.starting_after is not None:
            after = f.starting_after
            conditions.append(c.created_at > after if f.ascending else c.created_at < after)
        if f.filters:
            assert f.now is not None, "relative filters need the transaction's time"
            conditions.append(listing.where(f.filters, FILTER_FIELDS, self.conn.dialect, f.now))
        return conditions + self._keyset_conditions(f) + self._segment_conditions(f)

    def _keyset_conditions(self, f: CustomerFilter) -> list[Any]:
        c = customers.c
        conditions: list[Any] = []
        if f.prefix is not None:
            name, text = f.prefix
            lowered = func.lower(PREFIX_COLUMNS[name])
            low = text.lower()
            conditions.extend((lowered >= low, lowered < low + "\U0010ffff"))
        if f.after_id is not None:
            cursor = (
                select(c.created_at)
                .where(c.project_id == self.project_id, c.id == f.after_id)
                .scalar_subquery()
            )
            conditions.extend(
                (c.created_at <= cursor, or_(c.created_at < cursor, c.id > f.after_id))
            )
        return conditions

    def _segment_conditions(self, f: CustomerFilter) -> list[Any]:
        conditions: list[Any] = []
        if f.segment_members is not None:
            t = segment_customers.c
            listed = select(t.customer_id).where(
                t.project_id == self.project_id, t.segment_id == f.segment_members
            )
            conditions.append(customers.c.id.in_(listed))
        if f.segment_filter:
            assert f.now is not None, "relative filters need the transaction's time"
            dialect = self.conn.dialect
            conditions.append(listing.where(f.segment_filter, FILTER_FIELDS, dialect, f.now))
        return conditions


def hot_by_id_or_source_id(read: HotRead, project_id: str, ident: str) -> list[dict[str, Any]]:
    """The rows ``get_by_id_or_source_id`` picks from (the id match first), as a hot read."""
    params = {PROJECT: project_id, "_ident": ident}
    return _id_first(read.all_rows(BY_ID_OR_SOURCE_ID, params), ident)


def _id_first(rows: list[dict[str, Any]], ident: str) -> list[dict[str, Any]]:
    """A source_id that equals another customer's id: the id match wins."""
    if len(rows) > 1:
        rows.sort(key=lambda r: r["id"] != ident)
    return rows


# Hot statements, built once (see ``adapters.db.prepared``).
_HOT = select(customers).where(customers.c.project_id == bindparam(PROJECT))
BY_ID = _HOT.where(customers.c.id == bindparam("_id"))
BY_SOURCE_ID = _HOT.where(customers.c.source_id == bindparam("_source_id"))
BY_EMAIL = (
    _HOT.where(customers.c.email == bindparam("_email")).order_by(customers.c.created_at).limit(1)
)
BY_ID_OR_SOURCE_ID = _HOT.where(
    or_(customers.c.id == bindparam("_ident"), customers.c.source_id == bindparam("_ident"))
)
UPDATE = update(customers).where(
    customers.c.project_id == bindparam(PROJECT), customers.c.id == bindparam("_id")
)
