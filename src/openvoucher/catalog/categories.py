"""Categories: create, read, rename/re-rank, delete, list; lookups for vouchers and campaigns.

``resolve``, ``find`` and ``by_ids`` work inside an open :class:`Tx`, so the voucher and
campaign use cases can attach categories in their own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from openvoucher.catalog.model import Category, CategoryFields
from openvoucher.catalog.repositories.categories import CategoryRepository
from openvoucher.kernel.errors import DuplicateFound, InvalidPayload, NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork


def find(tx: Tx, ident: str) -> Category | None:
    """The category with id or name ``ident``, or None."""
    return CategoryRepository(tx.conn, tx.project_id).get_by_id_or_name(ident)


def resolve(tx: Tx, ident: str) -> Category:
    """The category with id or name ``ident``, or 404 ``not_found``."""
    row = find(tx, ident)
    if row is None:
        raise NotFound("category", ident)
    return row


def by_ids(tx: Tx, category_ids: Iterable[str]) -> dict[str, Category]:
    """Categories by id, for rendering many vouchers or campaigns at once."""
    return CategoryRepository(tx.conn, tx.project_id).get_many(category_ids)


def _require_by_id(tx: Tx, category_id: str) -> Category:
    row = CategoryRepository(tx.conn, tx.project_id).category(category_id)
    if row is None:
        raise NotFound("category", category_id)
    return row


def _check_name(repo: CategoryRepository, name: str | None, own_id: str | None = None) -> str:
    if name is None or not name.strip():
        raise InvalidPayload("Invalid payload", "name is required and must be a non-empty string")
    existing = repo.get_by_name(name)
    if existing is not None and existing.id != own_id:
        raise DuplicateFound("Duplicated resource", f"Category with name {name} already exists")
    return name


def _check_hierarchy(value: int | None) -> int:
    if value is None or value < 0:
        raise InvalidPayload("Invalid payload", "hierarchy is required and must be an integer >= 0")
    return value


def create(uow: UnitOfWork, project_id: str, fields: CategoryFields) -> Category:
    """``POST /v1/categories``: ``name`` (unique in the project) and ``hierarchy`` required."""
    with uow.write(project_id) as tx:
        repo = CategoryRepository(tx.conn, tx.project_id)
        category = Category(
            id=new_id("category"),
            name=_check_name(repo, fields.name),
            hierarchy=_check_hierarchy(fields.hierarchy),
            created_at=tx.now,
        )
        repo.insert(_columns(category))
        return _require_by_id(tx, category.id)


def _columns(category: Category) -> dict[str, object]:
    return {
        "id": category.id,
        "name": category.name,
        "hierarchy": category.hierarchy,
        "created_at": category.created_at,
        "updated_at": category.updated_at,
    }


def get(uow: UnitOfWork, project_id: str, category_id: str) -> Category:
    """By id."""
    with uow.read(project_id) as tx:
        return _require_by_id(tx, category_id)


def update(uow: UnitOfWork, project_id: str, category_id: str, fields: CategoryFields) -> Category:
    """``PUT /v1/categories/{id}``: change name and/or hierarchy; absent or null keep theirs."""
    with uow.write(project_id) as tx:
        repo = CategoryRepository(tx.conn, tx.project_id)
        row = _require_by_id(tx, category_id)
        changed = replace(
            row,
            name=row.name if fields.name is None else _check_name(repo, fields.name, row.id),
            hierarchy=row.hierarchy
            if fields.hierarchy is None
            else _check_hierarchy(fields.hierarchy),
            updated_at=tx.now,
        )
        repo.update(row.id, _columns(changed))
        return _require_by_id(tx, category_id)


def delete(uow: UnitOfWork, project_id: str, category_id: str) -> None:
    """Remove a category; campaigns and vouchers that used it keep existing without it."""
    with uow.write(project_id) as tx:
        row = _require_by_id(tx, category_id)
        CategoryRepository(tx.conn, tx.project_id).delete(row.id)


def list_categories(uow: UnitOfWork, project_id: str) -> list[Category]:
    """All categories of the project, newest first."""
    with uow.read(project_id) as tx:
        return CategoryRepository(tx.conn, tx.project_id).all()
