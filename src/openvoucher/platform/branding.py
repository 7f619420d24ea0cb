"""A project's brand details (name, address, contact): at most one brand per project."""

from __future__ import annotations

from dataclasses import replace

from openvoucher.kernel.errors import DuplicateFound, NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import projects
from openvoucher.platform.model import (
    DEFAULT_BRAND,
    Address,
    Branding,
    BrandingFields,
    Contact,
    merged,
)
from openvoucher.platform.repositories.branding import BrandingRepository, attrs_of


def _repo(tx: Tx) -> BrandingRepository:
    return BrandingRepository(tx.conn, tx.project_id)


def _require_project(tx: Tx) -> None:
    projects.require_exists(tx, tx.project_id)


def _require(tx: Tx, branding_id: str) -> Branding:
    _require_project(tx)
    row = _repo(tx).branding(branding_id)
    if row is None:
        raise NotFound("branding", branding_id)
    return row


def _changed(current: Branding, fields: BrandingFields) -> Branding:
    """``current`` with the values that were sent; null and absent ones keep theirs."""
    return replace(
        current,
        brand=merged(current.brand, fields.brand),
        address=merged(current.address, fields.address),
        contact=merged(current.contact, fields.contact),
    )


def create(uow: UnitOfWork, project_id: str, fields: BrandingFields) -> Branding:
    """Configure the project's brand; 409 when it already has one."""
    with uow.write(project_id) as tx:
        _require_project(tx)
        if _repo(tx).current() is not None:
            raise DuplicateFound(
                "Duplicated resource", "The project already has a brand; update it"
            )
        new = Branding(new_id("branding"), DEFAULT_BRAND, Address(), Contact(), tx.now)
        branding = _changed(new, fields)
        _repo(tx).add(branding)
        return _require(tx, branding.id)


def get(uow: UnitOfWork, project_id: str, branding_id: str) -> Branding:
    """By id."""
    with uow.read(project_id) as tx:
        return _require(tx, branding_id)


def list_brands(uow: UnitOfWork, project_id: str) -> list[Branding]:
    """The project's brand as a list (empty or one item)."""
    with uow.read(project_id) as tx:
        _require_project(tx)
        row = _repo(tx).current()
        return [row] if row else []


def update(uow: UnitOfWork, project_id: str, branding_id: str, fields: BrandingFields) -> Branding:
    """Change the fields sent; the others stay."""
    with uow.write(project_id) as tx:
        row = _require(tx, branding_id)
        changed = _changed(row, fields)
        _repo(tx).update(row.id, {"attrs": attrs_of(changed), "updated_at": tx.now})
        return _require(tx, row.id)


def delete(uow: UnitOfWork, project_id: str, branding_id: str) -> None:
    """Remove the brand permanently."""
    with uow.write(project_id) as tx:
        _repo(tx).delete(_require(tx, branding_id).id)
