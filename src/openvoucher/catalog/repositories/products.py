"""Products and SKUs of one project."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import RowMapping, func, or_, select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db.schema.products import products, skus
from openvoucher.catalog.model import Product, Sku
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.scoped import ScopedRows

R = TypeVar("R", Product, Sku)
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


def product_of(row: RowMapping) -> Product:
    """The record of a ``products`` row."""
    attrs = row["attrs"] or {}
    return Product(
        id=row["id"],
        source_id=row["source_id"],
        name=row["name"],
        price=row["price"],
        attributes=attrs.get("attributes"),
        metadata=attrs.get("metadata"),
        image_url=attrs.get("image_url"),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def sku_of(row: RowMapping) -> Sku:
    """The record of a ``skus`` row."""
    attrs = row["attrs"] or {}
    return Sku(
        id=row["id"],
        source_id=row["source_id"],
        product_id=row["product_id"],
        sku=row["sku"],
        price=row["price"],
        currency=row["currency"],
        attributes=attrs.get("attributes"),
        metadata=attrs.get("metadata"),
        image_url=attrs.get("image_url"),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def attrs_of(record: Product | Sku) -> dict[str, object]:
    """The ``attrs`` JSON column of a record (the fields it was given)."""
    values = (
        ("attributes", record.attributes),
        ("metadata", record.metadata),
        ("image_url", record.image_url),
    )
    return {k: v for k, v in values if v is not None}


class _Scoped(ScopedRows, Generic[R]):
    """Products or SKUs: by id or source_id, and windows of them (deleting a product deletes
    its SKUs too)."""

    record: Callable[[RowMapping], R]

    def one(self, row_id: str) -> R | None:
        """By id."""
        return self._one(self._scoped().where(self.table.c.id == row_id))

    def get_by_source_id(self, source_id: str) -> R | None:
        """By source_id."""
        return self._one(self._scoped().where(self.table.c.source_id == source_id))

    def _one(self, query: Any) -> R | None:
        row = self.conn.execute(query).mappings().first()
        return type(self).record(row) if row else None

    def find(self, ident: str) -> R | None:
        """By id, falling back to source_id."""
        c = self.table.c
        query = self._scoped().where(or_(c.id == ident, c.source_id == ident))
        rows = [type(self).record(r) for r in self.conn.execute(query).mappings()]
        rows.sort(key=lambda r: r.id != ident)
        return rows[0] if rows else None

    def _window(
        self, query: Any, window: Window, now: datetime | None = None
    ) -> tuple[list[R], int]:
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
        return [type(self).record(r) for r in self.conn.execute(query).mappings()], int(total)


class ProductRepository(_Scoped[Product]):
    """SQL for products, scoped to one project."""

    table = products
    record = staticmethod(product_of)

    def page(self, window: Window, now: datetime) -> tuple[list[Product], int]:
        """A page of products and the total matching (``now`` anchors relative date filters)."""
        return self._window(self._scoped(), window, now)


class SkuRepository(_Scoped[Sku]):
    """SQL for SKUs, scoped to one project."""

    table = skus
    record = staticmethod(sku_of)

    def page_of_product(self, product_id: str, window: Window) -> tuple[list[Sku], int]:
        """A page of one product's SKUs and their total."""
        return self._window(self._scoped().where(skus.c.product_id == product_id), window)

    def of_products(self, product_ids: Iterable[str]) -> dict[str, list[Sku]]:
        """The SKUs of these products, oldest first, grouped by product id."""
        wanted = sorted(set(product_ids))
        grouped: dict[str, list[Sku]] = {pid: [] for pid in wanted}
        if not wanted:
            return grouped
        query = (
            self._scoped()
            .where(skus.c.product_id.in_(wanted))
            .order_by(skus.c.created_at, skus.c.id)
        )
        for row in self.conn.execute(query).mappings():
            grouped[row["product_id"]].append(sku_of(row))
        return grouped
