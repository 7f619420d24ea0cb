"""Products and SKUs: upsert-style create, read by id or source_id, update, delete, list.

``find_product``/``require_product``/``upsert_product`` and their SKU twins work inside an
open :class:`Tx`, so bulk jobs, CSV imports and other use cases (e.g. ``applicable_to``
checks) can use them in their own transaction.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.metadata_schemas import enforce
from openvoucher.catalog.presenters import products as views
from openvoucher.catalog.repositories.products import ProductRepository, SkuRepository, Window
from openvoucher.kernel.errors import DuplicateFound, NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import trash_bin

PRODUCT_COLUMNS = ("name", "price")
PRODUCT_ATTRS = ("attributes", "metadata", "image_url")
SKU_COLUMNS = ("sku", "price", "currency")
SKU_ATTRS = ("attributes", "metadata", "image_url")

Rendered = tuple[dict[str, Any], list[dict[str, Any]]]
"""A product row and its SKU rows, as the presenter takes them."""


def _products(tx: Tx) -> ProductRepository:
    return ProductRepository(tx.conn, tx.project_id)


def _skus(tx: Tx) -> SkuRepository:
    return SkuRepository(tx.conn, tx.project_id)


def find_product(tx: Tx, ident: str) -> dict[str, Any] | None:
    """The product with id or source_id ``ident``, or None."""
    return _products(tx).find(ident)


def require_product(tx: Tx, ident: str) -> dict[str, Any]:
    """The product with id or source_id ``ident``, or 404."""
    row = find_product(tx, ident)
    if row is None:
        raise NotFound("product", ident)
    return row


def find_sku(tx: Tx, ident: str) -> dict[str, Any] | None:
    """The SKU with id or source_id ``ident``, or None."""
    return _skus(tx).find(ident)


def _changes(
    row: dict[str, Any] | None,
    fields: dict[str, Any],
    columns: tuple[str, ...],
    attrs: tuple[str, ...],
) -> dict[str, Any]:
    values = {name: fields[name] for name in columns if name in fields}
    merged = dict(row["attrs"]) if row else {}
    merged.update({name: fields[name] for name in attrs if name in fields})
    values["attrs"] = merged
    return values


def upsert_product(tx: Tx, fields: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Create the product, or update the one with the given ``id``/``source_id``.

    Returns the stored row and whether it already existed. An unknown ``id`` is a 404.
    """
    repo = _products(tx)
    existing = None
    if fields.get("id"):
        existing = repo.get(fields["id"])
        if existing is None:
            raise NotFound("product", fields["id"])
    elif fields.get("source_id"):
        existing = repo.get_by_source_id(fields["source_id"])
    values = _changes(existing, fields, PRODUCT_COLUMNS, PRODUCT_ATTRS)
    if existing is None or "metadata" in fields:
        enforce(tx, "product", values["attrs"].get("metadata"))
    if existing is not None:
        repo.update(existing["id"], {**values, "updated_at": tx.now})
        return _reload(repo, existing["id"]), True
    if fields.get("source_id"):
        trash_bin.ensure_source_id_free(tx, "product", fields["source_id"])
    product_id = new_id("product")
    row = {"name": None, "price": None, **values, "id": product_id}
    repo.insert({**row, "source_id": fields.get("source_id"), "created_at": tx.now})
    return _reload(repo, product_id), False


def _reload(repo: ProductRepository | SkuRepository, row_id: str) -> dict[str, Any]:
    row = repo.get(row_id)
    assert row is not None
    return row


def _with_skus(tx: Tx, row: dict[str, Any]) -> Rendered:
    return row, _skus(tx).of_products([row["id"]])[row["id"]]


def create(uow: UnitOfWork, project_id: str, fields: dict[str, Any]) -> Rendered:
    """``POST /v1/products``: create, or update the product with the same id/source_id."""
    with uow.write(project_id) as tx:
        row, _ = upsert_product(tx, fields)
        return _with_skus(tx, row)


def get(uow: UnitOfWork, project_id: str, ident: str) -> Rendered:
    """By id or source_id, with its SKUs."""
    with uow.read(project_id) as tx:
        return _with_skus(tx, require_product(tx, ident))


def update(uow: UnitOfWork, project_id: str, ident: str, fields: dict[str, Any]) -> Rendered:
    """``PUT /v1/products/{id}``: change the given fields; the others stay."""
    with uow.write(project_id) as tx:
        row = require_product(tx, ident)
        values = _changes(row, fields, PRODUCT_COLUMNS, PRODUCT_ATTRS)
        if "metadata" in fields:
            enforce(tx, "product", values["attrs"].get("metadata"))
        _products(tx).update(row["id"], {**values, "updated_at": tx.now})
        return _with_skus(tx, _reload(_products(tx), row["id"]))


def delete(uow: UnitOfWork, project_id: str, ident: str, *, binned: bool = False) -> None:
    """Remove a product and its SKUs (``binned``: the product goes to the bin)."""
    with uow.write(project_id) as tx:
        row = require_product(tx, ident)
        skus = _skus(tx)
        sku_rows = skus.of_products([row["id"]])[row["id"]]
        for sku_row in sku_rows:
            skus.delete(sku_row["id"])
        _products(tx).delete(row["id"])
        if binned:
            held = [("product", row["source_id"])] + [("sku", s["source_id"]) for s in sku_rows]
            trash_bin.put(tx, "product", views.product(row, sku_rows), row["name"], held=held)


def list_products(
    uow: UnitOfWork, project_id: str, window: Window
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]], int]:
    """A page of products, their SKUs by product id, and the total."""
    with uow.read(project_id) as tx:
        rows, total = _products(tx).page(window, tx.now)
        return rows, _skus(tx).of_products(r["id"] for r in rows), total


def upsert_sku(tx: Tx, product: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Add a SKU to ``product``, or update the product's SKU with the given id/source_id.

    A SKU ``source_id`` is unique in the catalog: one used by another product's SKU is a 409.
    """
    repo = _skus(tx)
    existing = None
    if fields.get("id"):
        existing = repo.get(fields["id"])
        if existing is None:
            raise NotFound("sku", fields["id"])
    elif fields.get("source_id"):
        existing = repo.get_by_source_id(fields["source_id"])
    if existing is not None and existing["product_id"] != product["id"]:
        raise DuplicateFound(
            "Duplicated resource",
            f"SKU {existing['source_id'] or existing['id']} belongs to another product",
        )
    values = _changes(existing, fields, SKU_COLUMNS, SKU_ATTRS)
    if existing is not None:
        repo.update(existing["id"], {**values, "updated_at": tx.now})
        return _reload(repo, existing["id"])
    if fields.get("source_id"):
        trash_bin.ensure_source_id_free(tx, "sku", fields["source_id"])
    sku_id = new_id("sku")
    row = {"sku": None, "price": None, "currency": None, **values, "id": sku_id}
    repo.insert(
        {
            **row,
            "product_id": product["id"],
            "source_id": fields.get("source_id"),
            "created_at": tx.now,
        }
    )
    return _reload(repo, sku_id)


def create_sku(
    uow: UnitOfWork, project_id: str, product_ident: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``POST /v1/products/{id}/skus``: add a SKU, or update the one with the same id/source_id."""
    with uow.write(project_id) as tx:
        return upsert_sku(tx, require_product(tx, product_ident), fields)


def _require_sku_of(tx: Tx, product_ident: str, sku_ident: str) -> dict[str, Any]:
    product = require_product(tx, product_ident)
    row = find_sku(tx, sku_ident)
    if row is None or row["product_id"] != product["id"]:
        raise NotFound("sku", sku_ident)
    return row


def update_sku(
    uow: UnitOfWork, project_id: str, product_ident: str, sku_ident: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``PUT /v1/products/{id}/skus/{skuId}``: change the given fields; the others stay."""
    with uow.write(project_id) as tx:
        row = _require_sku_of(tx, product_ident, sku_ident)
        values = _changes(row, fields, SKU_COLUMNS, SKU_ATTRS)
        _skus(tx).update(row["id"], {**values, "updated_at": tx.now})
        return _reload(_skus(tx), row["id"])


def delete_sku(
    uow: UnitOfWork, project_id: str, product_ident: str, sku_ident: str, *, binned: bool = False
) -> None:
    """Remove one SKU of a product (``binned``: the SKU goes to the bin)."""
    with uow.write(project_id) as tx:
        row = _require_sku_of(tx, product_ident, sku_ident)
        _skus(tx).delete(row["id"])
        if binned:
            held = [("sku", row["source_id"])]
            trash_bin.put(tx, "sku", views.sku(row), row["sku"], row["product_id"], held=held)


def get_sku(uow: UnitOfWork, project_id: str, ident: str) -> dict[str, Any]:
    """A SKU by id or source_id."""
    with uow.read(project_id) as tx:
        row = find_sku(tx, ident)
    if row is None:
        raise NotFound("sku", ident)
    return row


def list_skus(
    uow: UnitOfWork, project_id: str, product_ident: str, window: Window
) -> tuple[list[dict[str, Any]], int]:
    """A page of one product's SKUs and their total."""
    with uow.read(project_id) as tx:
        product = require_product(tx, product_ident)
        return _skus(tx).page_of_product(product["id"], window)


def _product_ref(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("id", "source_id", "name", "price")}


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
        parent = _reload(_products(tx), sku_row["product_id"])
        price = sku_row["price"] if sku_row["price"] is not None else parent["price"]
        found[name] = {
            "object": "sku",
            **{k: sku_row[k] for k in ("id", "source_id", "sku", "product_id")},
            "price": price,
            "product": _product_ref(parent),
        }
    return found
