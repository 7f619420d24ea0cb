"""Products and SKUs of one project."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, or_, select, update

from openvoucher.adapters.db.schema.products import products, skus

ORDER_COLUMNS = {"created_at", "updated_at"}


@dataclass(frozen=True)
class Window:
    """A list request: ordering, paging, creation-date bounds and extra SQL conditions.

    ``where`` takes SQLAlchemy clauses on the listed table (e.g. built by a list-filter parser).
    """

    order: str = "-created_at"
    limit: int = 10
    offset: int = 0
    start_date: datetime | None = None
    end_date: datetime | None = None
    where: Sequence[Any] = field(default_factory=tuple)


class _Scoped:
    table: Table

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _scoped(self) -> Any:
        return select(self.table).where(self.table.c.project_id == self.project_id)

    def _first(self, query: Any) -> dict[str, Any] | None:
        found = self.conn.execute(query).mappings().first()
        return dict(found) if found else None

    def get(self, row_id: str) -> dict[str, Any] | None:
        """By id."""
        return self._first(self._scoped().where(self.table.c.id == row_id))

    def get_by_source_id(self, source_id: str) -> dict[str, Any] | None:
        """By source_id."""
        return self._first(self._scoped().where(self.table.c.source_id == source_id))

    def find(self, ident: str) -> dict[str, Any] | None:
        """By id, falling back to source_id."""
        c = self.table.c
        query = self._scoped().where(or_(c.id == ident, c.source_id == ident))
        rows = [dict(r) for r in self.conn.execute(query).mappings()]
        rows.sort(key=lambda r: r["id"] != ident)
        return rows[0] if rows else None

    def insert(self, row: dict[str, Any]) -> None:
        """Store a new row."""
        self.conn.execute(insert(self.table).values(project_id=self.project_id, **row))

    def update(self, row_id: str, values: dict[str, Any]) -> None:
        """Change columns of one row."""
        c = self.table.c
        self.conn.execute(
            update(self.table)
            .where(c.project_id == self.project_id, c.id == row_id)
            .values(**values)
        )

    def delete(self, row_id: str) -> None:
        """Remove one row (a product's SKUs go with it)."""
        c = self.table.c
        self.conn.execute(delete(self.table).where(c.project_id == self.project_id, c.id == row_id))

    def _window(self, query: Any, window: Window) -> tuple[list[dict[str, Any]], int]:
        c = self.table.c
        if window.start_date is not None:
            query = query.where(c.created_at >= window.start_date)
        if window.end_date is not None:
            query = query.where(c.created_at <= window.end_date)
        query = query.where(*window.where)
        total = self.conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        name = window.order.lstrip("-")
        column = c[name] if name in ORDER_COLUMNS else c.created_at
        ordering = column.desc() if window.order.startswith("-") else column.asc()
        tie = c.id.desc() if window.order.startswith("-") else c.id.asc()
        query = query.order_by(ordering, tie).limit(window.limit).offset(window.offset)
        return [dict(r) for r in self.conn.execute(query).mappings()], int(total)


class ProductRepository(_Scoped):
    """SQL for products, scoped to one project."""

    table = products

    def page(self, window: Window) -> tuple[list[dict[str, Any]], int]:
        """A page of products and the total matching."""
        return self._window(self._scoped(), window)

    def by_source_ids(self, source_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The products with these source ids, by source id."""
        wanted = sorted(set(source_ids))
        if not wanted:
            return {}
        query = self._scoped().where(products.c.source_id.in_(wanted))
        return {r["source_id"]: dict(r) for r in self.conn.execute(query).mappings()}


class SkuRepository(_Scoped):
    """SQL for SKUs, scoped to one project."""

    table = skus

    def page_of_product(self, product_id: str, window: Window) -> tuple[list[dict[str, Any]], int]:
        """A page of one product's SKUs and their total."""
        return self._window(self._scoped().where(skus.c.product_id == product_id), window)

    def of_products(self, product_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """The SKUs of these products, oldest first, grouped by product id."""
        wanted = sorted(set(product_ids))
        grouped: dict[str, list[dict[str, Any]]] = {pid: [] for pid in wanted}
        if not wanted:
            return grouped
        query = (
            self._scoped()
            .where(skus.c.product_id.in_(wanted))
            .order_by(skus.c.created_at, skus.c.id)
        )
        for row in self.conn.execute(query).mappings():
            grouped[row["product_id"]].append(dict(row))
        return grouped
