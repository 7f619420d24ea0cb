"""Categories: create, read, rename/re-rank, delete, list; lookups for vouchers and campaigns.

``resolve``, ``find`` and ``by_ids`` work inside an open :class:`Tx`, so the voucher and
campaign use cases can attach categories in their own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openvoucher.catalog.repositories.categories import CategoryRepository
from openvoucher.kernel.errors import DuplicateFound, InvalidPayload, NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork


def find(tx: Tx, ident: str) -> dict[str, Any] | None:
    """The category with id or name ``ident``, or None."""
    return CategoryRepository(tx.conn, tx.project_id).get_by_id_or_name(ident)


def resolve(tx: Tx, ident: str) -> dict[str, Any]:
    """The category with id or name ``ident``, or 404 ``not_found``."""
    row = find(tx, ident)
    if row is None:
        raise NotFound("category", ident)
    return row


def by_ids(tx: Tx, category_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Categories by id, for rendering many vouchers or campaigns at once."""
    return CategoryRepository(tx.conn, tx.project_id).get_many(category_ids)


def _require_by_id(tx: Tx, category_id: str) -> dict[str, Any]:
    row = CategoryRepository(tx.conn, tx.project_id).get(category_id)
    if row is None:
        raise NotFound("category", category_id)
    return row


def _check_name(repo: CategoryRepository, name: Any, own_id: str | None = None) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidPayload("Invalid payload", "name is required and must be a non-empty string")
    existing = repo.get_by_name(name)
    if existing is not None and existing["id"] != own_id:
        raise DuplicateFound("Duplicated resource", f"Category with name {name} already exists")
    return name


def _check_hierarchy(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidPayload("Invalid payload", "hierarchy is required and must be an integer >= 0")
    return value


def create(uow: UnitOfWork, project_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``POST /v1/categories``: ``name`` (unique in the project) and ``hierarchy`` required."""
    with uow.write(project_id) as tx:
        repo = CategoryRepository(tx.conn, tx.project_id)
        name = _check_name(repo, fields.get("name"))
        hierarchy = _check_hierarchy(fields.get("hierarchy"))
        category_id = new_id("category")
        repo.insert(
            {
                "id": category_id,
                "name": name,
                "hierarchy": hierarchy,
                "created_at": tx.now,
                "updated_at": None,
            }
        )
        return _require_by_id(tx, category_id)


def get(uow: UnitOfWork, project_id: str, category_id: str) -> dict[str, Any]:
    """By id."""
    with uow.read(project_id) as tx:
        return _require_by_id(tx, category_id)


def update(
    uow: UnitOfWork, project_id: str, category_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``PUT /v1/categories/{id}``: change name and/or hierarchy; absent or null keep theirs."""
    with uow.write(project_id) as tx:
        repo = CategoryRepository(tx.conn, tx.project_id)
        row = _require_by_id(tx, category_id)
        values: dict[str, Any] = {"updated_at": tx.now}
        if fields.get("name") is not None:
            values["name"] = _check_name(repo, fields["name"], own_id=row["id"])
        if fields.get("hierarchy") is not None:
            values["hierarchy"] = _check_hierarchy(fields["hierarchy"])
        repo.update(row["id"], values)
        return _require_by_id(tx, category_id)


def delete(uow: UnitOfWork, project_id: str, category_id: str) -> None:
    """Remove a category; campaigns and vouchers that used it keep existing without it."""
    with uow.write(project_id) as tx:
        row = _require_by_id(tx, category_id)
        CategoryRepository(tx.conn, tx.project_id).delete(row["id"])


def list_categories(uow: UnitOfWork, project_id: str) -> list[dict[str, Any]]:
    """All categories of the project, newest first."""
    with uow.read(project_id) as tx:
        return CategoryRepository(tx.conn, tx.project_id).all()
