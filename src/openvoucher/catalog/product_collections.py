"""Product collections: STATIC (listed products and SKUs) or AUTO_UPDATE (a ``filter`` over
product fields); create, read, list, delete, their products, and which order items belong.

An order item belongs to a collection when its product or SKU (found in the catalogue by the
item's ids or source ids) is a STATIC member, its product is (a product takes its SKUs along),
or its product meets an AUTO_UPDATE filter.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from openvoucher.catalog import products
from openvoucher.catalog.domain import rule_reads
from openvoucher.catalog.model import (
    CollectionFields,
    CollectionMember,
    MemberRef,
    Product,
    ProductCollection,
    Sku,
)
from openvoucher.catalog.repositories.product_collections import (
    PRODUCT_FILTER_KINDS,
    CatalogLookup,
    ProductCollectionRepository,
)
from openvoucher.catalog.repositories.products import ProductRepository, Window
from openvoucher.checkout.domain.items import COLLECTION, item_keys
from openvoucher.checkout.domain.redeemables import VoucherFacts
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.filters import FilterError, Filters, parse
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork

Rendered = tuple[ProductCollection, list[CollectionMember]]
"""A collection and its STATIC members, as the presenter takes them."""
Member = tuple[Product, None] | tuple[Sku, Product]
"""A product of a collection, or one of its SKUs with its product."""


def _repo(tx: Tx) -> ProductCollectionRepository:
    return ProductCollectionRepository(tx.conn, tx.project_id)


def parsed_filter(raw: Mapping[str, Any]) -> Filters:
    """An AUTO_UPDATE ``filter`` (``{junction, field: {conditions: {$op: [values]}}}``) as
    typed conditions over product fields; anything else is 400."""
    try:
        found = parse([("filters", json.dumps(raw))], PRODUCT_FILTER_KINDS)
    except FilterError as error:
        raise InvalidPayload("Invalid payload", f"filter: {error}") from None
    if not found:
        raise InvalidPayload("Invalid payload", "filter must hold at least one condition")
    return found


def _member(tx: Tx, entry: MemberRef) -> CollectionMember:
    """A STATIC member: an existing product, or an existing SKU with its product."""
    if entry.object == "product":
        return CollectionMember("product", products.require_product(tx, entry.id).id)
    sku = products.find_sku(tx, entry.id)
    if sku is None or entry.product_id not in (None, sku.product_id):
        raise NotFound("sku", entry.id)
    return CollectionMember("sku", sku.product_id, sku.id)


def create(uow: UnitOfWork, project_id: str, fields: CollectionFields) -> Rendered:
    """``POST /v1/product-collections``."""
    kind = fields.type or ("AUTO_UPDATE" if fields.filter else "STATIC")
    if kind == "AUTO_UPDATE":
        if not fields.filter:
            raise InvalidPayload("Invalid payload", "filter is required for AUTO_UPDATE")
        parsed_filter(fields.filter)
    elif fields.filter:
        raise InvalidPayload("Invalid payload", "filter is only for AUTO_UPDATE collections")
    with uow.write(project_id) as tx:
        members = [_member(tx, entry) for entry in fields.products]
        collection = ProductCollection(
            id=new_id("product_collection"),
            name=fields.name,
            type=kind,
            filter=fields.filter if kind == "AUTO_UPDATE" else None,
            created_at=tx.now,
        )
        _repo(tx).add(collection)
        _repo(tx).add_members(collection.id, members)
        return _with_members(tx, require(tx, collection.id))


def require(tx: Tx, collection_id: str) -> ProductCollection:
    """The collection, or 404."""
    row = _repo(tx).collection(collection_id)
    if row is None:
        raise NotFound("products_collection", collection_id)
    return row


def _with_members(tx: Tx, row: ProductCollection) -> Rendered:
    return row, _repo(tx).members([row.id])[row.id]


def get(uow: UnitOfWork, project_id: str, collection_id: str) -> Rendered:
    """``GET /v1/product-collections/{id}``."""
    with uow.read(project_id) as tx:
        return _with_members(tx, require(tx, collection_id))


def delete(uow: UnitOfWork, project_id: str, collection_id: str) -> None:
    """``DELETE /v1/product-collections/{id}`` (its members go with it)."""
    with uow.write(project_id) as tx:
        _repo(tx).delete(require(tx, collection_id).id)


def list_collections(
    uow: UnitOfWork, project_id: str, limit: int, offset: int, newest_first: bool
) -> tuple[list[Rendered], int]:
    """A page of collections with their members, and the total."""
    with uow.read(project_id) as tx:
        rows, total = _repo(tx).page(limit, offset, newest_first)
        members = _repo(tx).members(row.id for row in rows)
        return [(row, members[row.id]) for row in rows], total


def products_of(
    uow: UnitOfWork, project_id: str, collection_id: str, window: Window
) -> tuple[list[Member], int]:
    """A page of the collection's products and SKUs (a SKU with its product), and the total."""
    with uow.read(project_id) as tx:
        row = require(tx, collection_id)
        if row.type == "AUTO_UPDATE":
            found = replace(window, filters=parsed_filter(row.filter or {}))
            rows, total = ProductRepository(tx.conn, tx.project_id).page(found, tx.now)
            return [(product, None) for product in rows], total
        members, total = _repo(tx).member_page(row.id, window.limit, window.offset)
        return _member_rows(tx, members), total


def _member_rows(tx: Tx, members: list[CollectionMember]) -> list[Member]:
    """Each member's product row and, for a SKU, its SKU row: ``(sku, product)`` or
    ``(product, None)``."""
    lookup = CatalogLookup(tx.conn, tx.project_id)
    found = lookup.products_by_id(m.product_id for m in members)
    skus = lookup.skus_by_id(m.sku_id for m in members if m.sku_id)
    rows: list[Member] = []
    for m in members:
        product = found[m.product_id]
        rows.append((skus[m.sku_id], product) if m.sku_id else (product, None))
    return rows


def _named(facts: Mapping[str, VoucherFacts]) -> dict[str, set[str]]:
    """Voucher facts key → the collection ids its two lists and its validation rules name."""
    named: dict[str, set[str]] = {}
    for key, one in facts.items():
        ids = {
            str(entry.get("id"))
            for entry in (*one.applicable_to, *one.inapplicable_to)
            if entry.get("object") == COLLECTION
        }
        ids |= rule_reads.collections(one.rules.sets) if one.rules else set()
        if ids:
            named[key] = ids
    return named


def with_members(
    tx: Tx, facts: dict[str, VoucherFacts], items: Sequence[Mapping[str, Any]]
) -> dict[str, VoucherFacts]:
    """The facts with, for each collection their lists name, the order's items in it."""
    named = _named(facts)
    if not named:
        return facts
    wanted = set().union(*named.values())
    belonging = _belonging(tx, wanted, items)
    changed = dict(facts)
    for key, ids in named.items():
        members = {cid: belonging.get(cid, frozenset()) for cid in ids}
        changed[key] = replace(facts[key], members=members)
    return changed


def members_of(
    tx: Tx, collection_ids: set[str], items: Sequence[Mapping[str, Any]]
) -> dict[str, frozenset[frozenset[str]]]:
    """Collection id → the key sets of ``items`` in it (nothing read when no ids)."""
    return _belonging(tx, collection_ids, items) if collection_ids else {}


def _belonging(
    tx: Tx, collection_ids: set[str], items: Sequence[Mapping[str, Any]]
) -> dict[str, frozenset[frozenset[str]]]:
    """Collection id → the key sets of the order's items in it."""
    lookup = CatalogLookup(tx.conn, tx.project_id)
    keys = [item_keys(item) for item in items]
    everything = set().union(*keys) if keys else set()
    product_of = {k: row.id for row in lookup.products(everything) for k in _ids(row)}
    sku_rows = lookup.skus(everything)
    sku_of = {k: row.id for row in sku_rows for k in _ids(row)}
    parent = {row.id: row.product_id for row in sku_rows}
    resolved = [_resolve(found, product_of, sku_of, parent) for found in keys]
    collections = _repo(tx).many(collection_ids)
    members = _repo(tx).members(cid for cid, row in collections.items() if row.type == "STATIC")
    result: dict[str, frozenset[frozenset[str]]] = {}
    for cid, row in collections.items():
        if row.type == "AUTO_UPDATE":
            filters = parsed_filter(row.filter or {})
            chosen = lookup.filtered((p for p, _ in resolved if p), filters, tx.now)
            inside = [p in chosen for p, _ in resolved]
        else:
            listed = {(m.object, m.sku_id or m.product_id) for m in members[cid]}
            inside = [("product", p) in listed or ("sku", s) in listed for p, s in resolved]
        result[cid] = frozenset(frozenset(k) for k, yes in zip(keys, inside, strict=True) if yes)
    return result


def _ids(row: Product | Sku) -> list[str]:
    return [row.id, row.source_id] if row.source_id else [row.id]


def _resolve(
    keys: set[str], product_of: dict[str, str], sku_of: dict[str, str], parent: dict[str, str]
) -> tuple[str | None, str | None]:
    """An item's catalogue product id and SKU id (either may be unknown)."""
    sku = next((sku_of[k] for k in sorted(keys) if k in sku_of), None)
    product = next((product_of[k] for k in sorted(keys) if k in product_of), None)
    if product is None and sku is not None:
        product = parent[sku]
    return product, sku
