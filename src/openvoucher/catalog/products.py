"""Products and SKUs: upsert-style create, read by id or source_id, update, delete, list.

``find_product``/``require_product``/``upsert_product`` and their SKU twins work inside an
open :class:`Tx`, so bulk jobs, CSV imports and other use cases (e.g. ``applicable_to``
checks) can use them in their own transaction.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from openvoucher.catalog.metadata_schemas import enforce
from openvoucher.catalog.model import Product, ProductChange, Sku, SkuChange
from openvoucher.catalog.presenters import products as views
from openvoucher.catalog.repositories.products import (
    ProductRepository,
    SkuRepository,
    Window,
    _Scoped,
    attrs_of,
)
from openvoucher.kernel.errors import DuplicateFound, NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import trash_bin

R = TypeVar("R", Product, Sku)
PRODUCT_COLUMNS = ("name", "price")
SKU_COLUMNS = ("sku", "price", "currency")

Rendered = tuple[Product, list[Sku]]
"""A product and its SKUs, as the presenter takes them."""


def _products(tx: Tx) -> ProductRepository:
    return ProductRepository(tx.conn, tx.project_id)


def _skus(tx: Tx) -> SkuRepository:
    return SkuRepository(tx.conn, tx.project_id)


def find_product(tx: Tx, ident: str) -> Product | None:
    """The product with id or source_id ``ident``, or None."""
    return _products(tx).find(ident)


def require_product(tx: Tx, ident: str) -> Product:
    """The product with id or source_id ``ident``, or 404."""
    row = find_product(tx, ident)
    if row is None:
        raise NotFound("product", ident)
    return row


def find_sku(tx: Tx, ident: str) -> Sku | None:
    """The SKU with id or source_id ``ident``, or None."""
    return _skus(tx).find(ident)


def _changed(record: R, change: ProductChange | SkuChange) -> R:
    """``record`` with the fields ``change`` sent (never its id or source id)."""
    sent = change.sent - {"id", "source_id"}
    return replace(record, **{name: getattr(change, name) for name in sent})


def _columns(record: Product | Sku, columns: tuple[str, ...]) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(record, name) for name in columns}
    values["attrs"] = attrs_of(record)
    return values


def upsert_product(tx: Tx, change: ProductChange) -> tuple[Product, bool]:
    """Create the product, or update the one with the given ``id``/``source_id``.

    Returns the stored product and whether it already existed. An unknown ``id`` is a 404.
    """
    repo = _products(tx)
    existing = None
    if change.id:
        existing = repo.one(change.id)
        if existing is None:
            raise NotFound("product", change.id)
    elif change.source_id:
        existing = repo.get_by_source_id(change.source_id)
    if existing is not None:
        updated = _changed(existing, change)
        if "metadata" in change.sent:
            enforce(tx, "product", updated.metadata)
        repo.update(existing.id, {**_columns(updated, PRODUCT_COLUMNS), "updated_at": tx.now})
        return _reload(repo, existing.id), True
    if change.source_id:
        trash_bin.ensure_source_id_free(tx, "product", change.source_id)
    new = Product(
        *(new_id("product"), change.source_id, None, None, None, None, None, tx.now, None)
    )
    created = _changed(new, change)
    enforce(tx, "product", created.metadata)
    repo.insert(
        {
            **_columns(created, PRODUCT_COLUMNS),
            "id": created.id,
            "source_id": created.source_id,
            "created_at": tx.now,
        }
    )
    return _reload(repo, created.id), False


def _reload(repo: _Scoped[R], row_id: str) -> R:
    row = repo.one(row_id)
    assert row is not None
    return row


def _with_skus(tx: Tx, row: Product) -> Rendered:
    return row, _skus(tx).of_products([row.id])[row.id]


def create(uow: UnitOfWork, project_id: str, change: ProductChange) -> Rendered:
    """``POST /v1/products``: create, or update the product with the same id/source_id."""
    with uow.write(project_id) as tx:
        row, _ = upsert_product(tx, change)
        return _with_skus(tx, row)


def get(uow: UnitOfWork, project_id: str, ident: str) -> Rendered:
    """By id or source_id, with its SKUs."""
    with uow.read(project_id) as tx:
        return _with_skus(tx, require_product(tx, ident))


def update(uow: UnitOfWork, project_id: str, ident: str, change: ProductChange) -> Rendered:
    """``PUT /v1/products/{id}``: change the given fields; the others stay."""
    with uow.write(project_id) as tx:
        row = require_product(tx, ident)
        updated = _changed(row, change)
        if "metadata" in change.sent:
            enforce(tx, "product", updated.metadata)
        columns = _columns(updated, PRODUCT_COLUMNS)
        _products(tx).update(row.id, {**columns, "updated_at": tx.now})
        return _with_skus(tx, _reload(_products(tx), row.id))


def delete(uow: UnitOfWork, project_id: str, ident: str, *, binned: bool = False) -> None:
    """Remove a product and its SKUs (``binned``: the product goes to the bin)."""
    with uow.write(project_id) as tx:
        row = require_product(tx, ident)
        skus = _skus(tx)
        sku_rows = skus.of_products([row.id])[row.id]
        for sku_row in sku_rows:
            skus.delete(sku_row.id)
        _products(tx).delete(row.id)
        if binned:
            held = [("product", row.source_id)] + [("sku", s.source_id) for s in sku_rows]
            trash_bin.put(tx, "product", views.product(row, sku_rows), row.name, held=held)


def list_products(
    uow: UnitOfWork, project_id: str, window: Window
) -> tuple[list[Product], dict[str, list[Sku]], int]:
    """A page of products, their SKUs by product id, and the total."""
    with uow.read(project_id) as tx:
        rows, total = _products(tx).page(window, tx.now)
        return rows, _skus(tx).of_products(r.id for r in rows), total


def upsert_sku(tx: Tx, product: Product, change: SkuChange) -> Sku:
    """Add a SKU to ``product``, or update the product's SKU with the given id/source_id.

    A SKU ``source_id`` is unique in the catalog: one used by another product's SKU is a 409.
    """
    repo = _skus(tx)
    existing = None
    if change.id:
        existing = repo.one(change.id)
        if existing is None:
            raise NotFound("sku", change.id)
    elif change.source_id:
        existing = repo.get_by_source_id(change.source_id)
    if existing is not None and existing.product_id != product.id:
        raise DuplicateFound(
            "Duplicated resource",
            f"SKU {existing.source_id or existing.id} belongs to another product",
        )
    if existing is not None:
        columns = _columns(_changed(existing, change), SKU_COLUMNS)
        repo.update(existing.id, {**columns, "updated_at": tx.now})
        return _reload(repo, existing.id)
    if change.source_id:
        trash_bin.ensure_source_id_free(tx, "sku", change.source_id)
    new = Sku(
        *(new_id("sku"), change.source_id, product.id, None, None, None, None, None, None),
        *(tx.now, None),
    )
    created = _changed(new, change)
    repo.insert(
        {
            **_columns(created, SKU_COLUMNS),
            "id": created.id,
            "product_id": product.id,
            "source_id": created.source_id,
            "created_at": tx.now,
        }
    )
    return _reload(repo, created.id)


def create_sku(uow: UnitOfWork, project_id: str, product_ident: str, change: SkuChange) -> Sku:
    """``POST /v1/products/{id}/skus``: add a SKU, or update the one with the same id/source_id."""
    with uow.write(project_id) as tx:
        return upsert_sku(tx, require_product(tx, product_ident), change)


def _require_sku_of(tx: Tx, product_ident: str, sku_ident: str) -> Sku:
    product = require_product(tx, product_ident)
    row = find_sku(tx, sku_ident)
    if row is None or row.product_id != product.id:
        raise NotFound("sku", sku_ident)
    return row


def update_sku(
    uow: UnitOfWork, project_id: str, product_ident: str, sku_ident: str, change: SkuChange
) -> Sku:
    """``PUT /v1/products/{id}/skus/{skuId}``: change the given fields; the others stay."""
    with uow.write(project_id) as tx:
        row = _require_sku_of(tx, product_ident, sku_ident)
        columns = _columns(_changed(row, change), SKU_COLUMNS)
        _skus(tx).update(row.id, {**columns, "updated_at": tx.now})
        return _reload(_skus(tx), row.id)


def delete_sku(
    uow: UnitOfWork, project_id: str, product_ident: str, sku_ident: str, *, binned: bool = False
) -> None:
    """Remove one SKU of a product (``binned``: the SKU goes to the bin)."""
    with uow.write(project_id) as tx:
        row = _require_sku_of(tx, product_ident, sku_ident)
        _skus(tx).delete(row.id)
        if binned:
            held = [("sku", row.source_id)]
            trash_bin.put(tx, "sku", views.sku(row), row.sku, row.product_id, held=held)


def get_sku(uow: UnitOfWork, project_id: str, ident: str) -> Sku:
    """A SKU by id or source_id."""
    with uow.read(project_id) as tx:
        row = find_sku(tx, ident)
    if row is None:
        raise NotFound("sku", ident)
    return row


def list_skus(
    uow: UnitOfWork, project_id: str, product_ident: str, window: Window
) -> tuple[list[Sku], int]:
    """A page of one product's SKUs and their total."""
    with uow.read(project_id) as tx:
        product = require_product(tx, product_ident)
        return _skus(tx).page_of_product(product.id, window)


def _product_ref(row: Product) -> dict[str, object]:
    return {"id": row.id, "source_id": row.source_id, "name": row.name, "price": row.price}


def unit_catalog(tx: Tx, unit_types: set[str]) -> dict[str, dict[str, Any]]:
    """The products or SKUs UNIT discounts name (by id or source_id), keyed by that name.

    A SKU without a price takes its product's; names found nowhere are left out.
    """
    found: dict[str, dict[str, Any]] = {}
    for name in sorted(unit_types):
        product = find_product(tx, name)
        if product is not None:
            found[name] = {"object": "product", **_product_ref(product)}
            continue
        sku_row = find_sku(tx, name)
        if sku_row is None:
            continue
        parent = _reload(_products(tx), sku_row.product_id)
        found[name] = {
            "object": "sku",
            "id": sku_row.id,
            "source_id": sku_row.source_id,
            "sku": sku_row.sku,
            "product_id": sku_row.product_id,
            "price": sku_row.price if sku_row.price is not None else parent.price,
            "product": _product_ref(parent),
        }
    return found
