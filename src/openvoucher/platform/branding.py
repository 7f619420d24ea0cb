"""A project's brand details (name, address, contact): at most one brand per project."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.errors import DuplicateFound, NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform.repositories import projects as project_repo
from openvoucher.platform.repositories.management import BrandingRepository

PERMISSION_REMINDER = "You are receiving this email because you opted in at our website."
SECTIONS: dict[str, dict[str, Any]] = {
    "brand": {
        "name": None,
        "privacy_policy_url": None,
        "terms_of_use_url": None,
        "permission_reminder": PERMISSION_REMINDER,
        "website_url": None,
    },
    "address": {"street": None, "city": None, "postal": None, "state": None, "country": None},
    "contact": {"email": None, "phone": None},
}
"""Every field of each section with its value when never set."""


def _repo(tx: Tx) -> BrandingRepository:
    return BrandingRepository(tx.conn, tx.project_id)


def _require_project(tx: Tx) -> None:
    if project_repo.get_project(tx.conn, tx.project_id) is None:
        raise NotFound("project", tx.project_id)


def _require(tx: Tx, branding_id: str) -> dict[str, Any]:
    _require_project(tx)
    row = _repo(tx).get(branding_id)
    if row is None:
        raise NotFound("branding", branding_id)
    return row


def _sent(fields: dict[str, Any], section: str) -> dict[str, Any]:
    """The non-null fields sent for ``section`` (the SDK sends null for every field not set)."""
    return {k: v for k, v in (fields.get(section) or {}).items() if v is not None}


def _merged(attrs: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """``attrs`` with the fields that were sent; null and absent fields keep their value."""
    return {
        section: {**defaults, **attrs.get(section, {}), **_sent(fields, section)}
        for section, defaults in SECTIONS.items()
    }


def create(uow: UnitOfWork, project_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Configure the project's brand; 409 when it already has one."""
    with uow.write(project_id) as tx:
        _require_project(tx)
        if _repo(tx).current() is not None:
            raise DuplicateFound(
                "Duplicated resource", "The project already has a brand; update it"
            )
        branding_id = new_id("branding")
        _repo(tx).insert(
            {
                "id": branding_id,
                "attrs": _merged({}, fields),
                "created_at": tx.now,
                "updated_at": None,
            }
        )
        return _require(tx, branding_id)


def get(uow: UnitOfWork, project_id: str, branding_id: str) -> dict[str, Any]:
    """By id."""
    with uow.read(project_id) as tx:
        return _require(tx, branding_id)


def list_brands(uow: UnitOfWork, project_id: str) -> list[dict[str, Any]]:
    """The project's brand as a list (empty or one item)."""
    with uow.read(project_id) as tx:
        _require_project(tx)
        row = _repo(tx).current()
        return [row] if row else []


def update(
    uow: UnitOfWork, project_id: str, branding_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """Change the fields sent; the others stay."""
    with uow.write(project_id) as tx:
        row = _require(tx, branding_id)
        attrs = _merged(row["attrs"], fields)
        _repo(tx).update(row["id"], {"attrs": attrs, "updated_at": tx.now})
        return _require(tx, row["id"])


def delete(uow: UnitOfWork, project_id: str, branding_id: str) -> None:
    """Remove the brand permanently."""
    with uow.write(project_id) as tx:
        _repo(tx).delete(_require(tx, branding_id)["id"])
