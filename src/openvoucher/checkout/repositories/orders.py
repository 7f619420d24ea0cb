"""Orders of one project."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, or_, select, update

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.sales import orders
from openvoucher.kernel.filters import Filters

ORDER_COLUMNS = {"created_at": orders.c.created_at, "updated_at": orders.c.updated_at}

FILTER_FIELDS = {
    "id": listing.column(orders.c.id, "string"),
    "source_id": listing.column(orders.c.source_id, "string"),
    "status": listing.column(orders.c.status, "string"),
    "customer_id": listing.column(orders.c.customer_id, "string"),
    "referrer_id": listing.column(orders.c.referrer_id, "string"),
    "amount": listing.column(orders.c.amount, "number"),
    "created_at": listing.column(orders.c.created_at, "date"),
    "updated_at": listing.column(orders.c.updated_at, "date"),
    "metadata.*": listing.json_path(orders.c.attrs, "metadata"),
}
"""Fields of ``GET /v1/orders?filters[…]``."""


class OrderRepository:
    """SQL for orders, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _one(self, *conditions: Any) -> dict[str, Any] | None:
        query = select(orders).where(orders.c.project_id == self.project_id, *conditions)
        found = self.conn.execute(query).mappings().first()
        return dict(found) if found else None

    def get(self, order_id: str) -> dict[str, Any] | None:
        """By id."""
        return prepared.first(self.conn, BY_ID, {PROJECT: self.project_id, "_id": order_id})

    def get_by_source_id(self, source_id: str) -> dict[str, Any] | None:
        """By source id."""
        params = {PROJECT: self.project_id, "_source_id": source_id}
        return prepared.first(self.conn, BY_SOURCE_ID, params)

    def insert(self, row: dict[str, Any]) -> None:
        """Store a new order."""
        self.conn.execute(INSERT, {"project_id": self.project_id, **row})

    def insert_returning(self, row: dict[str, Any]) -> dict[str, Any]:
        """Store a new order; the row as stored (no second read)."""
        stored = prepared.first(self.conn, INSERT_RETURNING, {"project_id": self.project_id, **row})
        assert stored is not None
        return stored

    def update_returning(self, order_id: str, values: dict[str, Any]) -> dict[str, Any] | None:
        """Change plain column values of an order; the row as now stored (None: no such order)."""
        params = {PROJECT: self.project_id, "_id": order_id, **values}
        return prepared.first(self.conn, UPDATE_RETURNING, params)

    def update(self, order_id: str, values: dict[str, Any]) -> None:
        """Change columns of an order."""
        if prepared.plain(orders, values):
            self.conn.execute(UPDATE, {PROJECT: self.project_id, "_id": order_id, **values})
            return
        self.conn.execute(
            update(orders)
            .where(orders.c.project_id == self.project_id, orders.c.id == order_id)
            .values(**values)
        )

    def page(
        self,
        *,
        order: str,
        limit: int,
        offset: int,
        filters: Filters | None = None,
        now: datetime | None = None,
        after_id: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of orders and the total (``now`` anchors relative date filters).
        ``after_id``: a keyset cursor for newest-first pages (``-created_at``), the orders after
        that one on the created index; the total then counts from the cursor on."""
        column = ORDER_COLUMNS[order.lstrip("-")]
        ordering = column.desc() if order.startswith("-") else column.asc()
        conditions: list[Any] = [orders.c.project_id == self.project_id]
        if filters:
            assert now is not None, "relative filters need the transaction's time"
            conditions.append(listing.where(filters, FILTER_FIELDS, self.conn.dialect, now))
        if after_id is not None:
            conditions.extend(self._after(after_id))
        query = (
            select(orders)
            .where(*conditions)
            .order_by(ordering, orders.c.id)
            .limit(limit)
            .offset(offset)
        )
        rows = [dict(r) for r in self.conn.execute(query).mappings()]
        count = select(func.count()).select_from(orders).where(*conditions)
        return rows, int(self.conn.execute(count).scalar_one())

    def _after(self, after_id: str) -> list[Any]:
        """Rows after ``after_id`` in ``created_at`` descending, id ascending order."""
        c = orders.c
        cursor = (
            select(c.created_at)
            .where(c.project_id == self.project_id, c.id == after_id)
            .scalar_subquery()
        )
        return [c.created_at <= cursor, or_(c.created_at < cursor, c.id > after_id)]


# Hot statements, built once (see ``adapters.db.prepared``).
_HOT = select(orders).where(orders.c.project_id == bindparam(PROJECT))
BY_ID = _HOT.where(orders.c.id == bindparam("_id"))
BY_SOURCE_ID = _HOT.where(orders.c.source_id == bindparam("_source_id"))
INSERT = insert(orders)
INSERT_RETURNING = INSERT.returning(*orders.c)
UPDATE = update(orders).where(
    orders.c.project_id == bindparam(PROJECT), orders.c.id == bindparam("_id")
)
UPDATE_RETURNING = UPDATE.returning(*orders.c)
