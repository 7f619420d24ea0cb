"""Products and SKUs of one project."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db.schema.products import products, skus
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.scoped import ScopedRows

ORDER_COLUMNS = {"created_at", "updated_at"}

PRODUCT_FILTER_FIELDS = {
    "id": listing.column(products.c.id, "string"),
    "source_id": listing.column(products.c.source_id, "string"),
    "name": listing.column(products.c.name, "string"),
    "price": listing.column(products.c.price, "number"),
    "created_at": listing.column(products.c.created_at, "date"),
    "updated_at": listing.column(products.c.updated_at, "date"),
    "image_url": listing.json_path(products.c.attrs, "image_url", kind="string"),
    "metadata.*": listing.json_path(products.c.attrs, "metadata"),
}
"""Fields of ``GET /v1/products?filters[…]``."""


@dataclass(frozen=True)
class Window:
    """A list request: ordering, paging, creation-date bounds and ``filters[…]`` conditions."""

    order: str = "-created_at"
    limit: int = 10
    offset: int = 0
    start_date: datetime | None = None
    end_date: datetime | None = None
    filters: Filters | None = None


class _Scoped(ScopedRows):
    """Products or SKUs: by id or source_id, and windows of them (deleting a product deletes
    its SKUs too)."""

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

    def _window(
        self, query: Any, window: Window, now: datetime | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        c = self.table.c
        if window.start_date is not None:
            query = query.where(c.created_at >= window.start_date)
        if window.end_date is not None:
            query = query.where(c.created_at <= window.end_date)
        if window.filters and now is not None:
            clause = listing.where(window.filters, PRODUCT_FILTER_FIELDS, self.conn.dialect, now)
            if clause is not None:
                query = query.where(clause)
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

    def page(self, window: Window, now: datetime) -> tuple[list[dict[str, Any]], int]:
        """A page of products and the total matching (``now`` anchors relative date filters)."""
        return self._window(self._scoped(), window, now)

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
