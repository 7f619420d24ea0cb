"""Product collections of one project and the members of STATIC ones."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, func, insert, or_, select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db.schema.products import (
    product_collection_items,
    product_collections,
    products,
    skus,
)
from openvoucher.catalog.model import CollectionMember, Product, ProductCollection, Sku
from openvoucher.catalog.repositories.products import PRODUCT_FILTER_FIELDS, product_of, sku_of
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.scoped import ScopedRows

PRODUCT_FILTER_KINDS = listing.kinds(PRODUCT_FILTER_FIELDS)
"""The product fields (and their kinds) an AUTO_UPDATE collection's ``filter`` may use."""


def _collection(row: RowMapping) -> ProductCollection:
    return ProductCollection(
        id=row["id"],
        name=row["name"],
        type=row["type"],
        filter=(row["attrs"] or {}).get("filter"),
        created_at=row["created_at"],
    )


def _member(row: RowMapping) -> CollectionMember:
    return CollectionMember(row["object"], row["product_id"], row["sku_id"])


class ProductCollectionRepository(ScopedRows):
    """SQL for product collections, scoped to one project."""

    table = product_collections

    def collection(self, collection_id: str) -> ProductCollection | None:
        """By id."""
        query = self._scoped().where(product_collections.c.id == collection_id)
        row = self.conn.execute(query).mappings().first()
        return _collection(row) if row else None

    def add(self, collection: ProductCollection) -> None:
        """Store a new collection (its members: :meth:`add_members`)."""
        attrs = {"filter": collection.filter} if collection.filter is not None else {}
        self.insert(
            {
                "id": collection.id,
                "name": collection.name,
                "type": collection.type,
                "attrs": attrs,
                "created_at": collection.created_at,
            }
        )

    def page(
        self, limit: int, offset: int, newest_first: bool
    ) -> tuple[list[ProductCollection], int]:
        """A page of collections by creation time, and their total."""
        c = product_collections.c
        ordering = (c.created_at.desc(), c.id.desc()) if newest_first else (c.created_at, c.id)
        query = self._scoped().order_by(*ordering).limit(limit).offset(offset)
        rows = [_collection(r) for r in self.conn.execute(query).mappings()]
        return rows, self._count()

    def many(self, ids: Iterable[str]) -> dict[str, ProductCollection]:
        """The collections with these ids, by id."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        query = self._scoped().where(product_collections.c.id.in_(wanted))
        return {r["id"]: _collection(r) for r in self.conn.execute(query).mappings()}

    def add_members(self, collection_id: str, members: list[CollectionMember]) -> None:
        """Store a STATIC collection's members in order."""
        if not members:
            return
        rows = [
            {
                "object": member.object,
                "product_id": member.product_id,
                "sku_id": member.sku_id,
                "collection_id": collection_id,
                "position": n,
                "project_id": self.project_id,
            }
            for n, member in enumerate(members)
        ]
        self.conn.execute(insert(product_collection_items), rows)

    def members(self, collection_ids: Iterable[str]) -> dict[str, list[CollectionMember]]:
        """The members of these collections, in order, by collection id."""
        wanted = sorted(set(collection_ids))
        grouped: dict[str, list[CollectionMember]] = {cid: [] for cid in wanted}
        if not wanted:
            return grouped
        t = product_collection_items.c
        query = (
            select(product_collection_items)
            .where(t.project_id == self.project_id, t.collection_id.in_(wanted))
            .order_by(t.collection_id, t.position)
        )
        for row in self.conn.execute(query).mappings():
            grouped[row["collection_id"]].append(_member(row))
        return grouped

    def member_page(
        self, collection_id: str, limit: int, offset: int
    ) -> tuple[list[CollectionMember], int]:
        """A page of a STATIC collection's members, in order, and their total."""
        t = product_collection_items.c
        scope = (t.project_id == self.project_id, t.collection_id == collection_id)
        query = (
            select(product_collection_items)
            .where(*scope)
            .order_by(t.position)
            .limit(limit)
            .offset(offset)
        )
        total = select(func.count()).select_from(product_collection_items).where(*scope)
        rows = [_member(r) for r in self.conn.execute(query).mappings()]
        return rows, int(self.conn.execute(total).scalar_one())


class CatalogLookup:
    """Products and SKUs of one project found by any of their ids or source ids at once."""

    def __init__(self, conn: Any, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _by_keys(self, table: Any, keys: list[str]) -> list[RowMapping]:
        c = table.c
        query = select(table).where(
            c.project_id == self.project_id, or_(c.id.in_(keys), c.source_id.in_(keys))
        )
        return list(self.conn.execute(query).mappings())

    def products(self, keys: Iterable[str]) -> list[Product]:
        """The products whose id or source id is one of ``keys``."""
        wanted = sorted(set(keys))
        return [product_of(r) for r in self._by_keys(products, wanted)] if wanted else []

    def skus(self, keys: Iterable[str]) -> list[Sku]:
        """The SKUs whose id or source id is one of ``keys``."""
        wanted = sorted(set(keys))
        return [sku_of(r) for r in self._by_keys(skus, wanted)] if wanted else []

    def filtered(self, product_ids: Iterable[str], filters: Filters, now: datetime) -> set[str]:
        """Which of these products meet ``filters`` (an AUTO_UPDATE collection's)."""
        wanted = sorted(set(product_ids))
        if not wanted:
            return set()
        c = products.c
        query = select(c.id).where(c.project_id == self.project_id, c.id.in_(wanted))
        clause = listing.where(filters, PRODUCT_FILTER_FIELDS, self.conn.dialect, now)
        if clause is not None:
            query = query.where(clause)
        return {str(r) for r in self.conn.execute(query).scalars()}

    def _by_ids(self, table: Any, ids: Iterable[str]) -> list[RowMapping]:
        wanted = sorted(set(ids))
        if not wanted:
            return []
        query = select(table).where(table.c.project_id == self.project_id, table.c.id.in_(wanted))
        return list(self.conn.execute(query).mappings())

    def products_by_id(self, ids: Iterable[str]) -> dict[str, Product]:
        """Products by id."""
        return {r["id"]: product_of(r) for r in self._by_ids(products, ids)}

    def skus_by_id(self, ids: Iterable[str]) -> dict[str, Sku]:
        """SKUs by id."""
        return {r["id"]: sku_of(r) for r in self._by_ids(skus, ids)}
