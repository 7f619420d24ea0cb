"""Projects and their keys: the default project, management of projects, authentication."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from typing import Any

from openvoucher.config import Settings
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.ids import new_id, random_token
from openvoucher.kernel.project_time import is_zone
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform.repositories import projects as repo

MANAGEMENT_SCOPE = "__management__"

PROJECT_DEFAULTS: dict[str, Any] = {
    "description": None,
    "timezone": "UTC",
    "currency": "USD",
    "dial_code": None,
    "webhook_version": "v2024-01-01",
    "client_trusted_domains": [],
    "client_redeem_enabled": False,
    "client_publish_enabled": False,
    "client_list_vouchers_enabled": False,
    "client_create_customer_enabled": False,
    "client_loyalty_events_enabled": False,
    "client_set_voucher_expiration_date_enabled": False,
    "case_sensitive_codes": True,
    "is_sandbox": False,
    "webhooks_callout_notifications": None,
    "api_usage_notifications": None,
    "default_code_config": None,
}


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: a project (app keys) or the management scope."""

    kind: str
    project_id: str | None


@dataclass(frozen=True)
class KeyPair:
    """An id/token pair."""

    key_id: str
    token: str


def ensure_default_project(uow: UnitOfWork, settings: Settings) -> dict[str, Any]:
    """Create the default project and its keys on first start; apply keys fixed by settings."""
    return ensure_default(uow, settings)[0]


def ensure_default(uow: UnitOfWork, settings: Settings) -> tuple[dict[str, Any], bool]:
    """As :func:`ensure_default_project`; also whether server-side or management keys were
    generated just now (``serve`` prints keys only then)."""
    with uow.write(MANAGEMENT_SCOPE) as tx:
        project = repo.default_project(tx.conn)
        generated = False
        if project is None:
            fixed = bool(settings.app_id and settings.app_token)
            project = _create(
                tx, {"name": "Default project"}, is_default=True, generate_app_key=not fixed
            )
            generated = not fixed
        generated = _apply_fixed_keys(tx, settings, project["id"]) or generated
        return project_view(tx, project["id"]), generated


def _apply_fixed_keys(tx: Tx, settings: Settings, project_id: str) -> bool:
    """Put the keys fixed by settings; whether a management key had to be generated."""
    if settings.app_id and settings.app_token:
        _put_key(tx, KeyPair(settings.app_id, settings.app_token), "app", project_id)
    if settings.management_id and settings.management_token:
        pair = KeyPair(settings.management_id, settings.management_token)
        _put_key(tx, pair, "management", None)
    if not repo.keys_of(tx.conn, kind="management", project_id=None):
        _put_key(tx, KeyPair(_key_id(), random_token(48)), "management", None)
        return True
    return False


def _put_key(tx: Tx, pair: KeyPair, kind: str, project_id: str | None) -> None:
    existing = repo.get_key(tx.conn, pair.key_id)
    if existing is None:
        repo.insert_key(
            tx.conn,
            key_id=pair.key_id,
            token=pair.token,
            kind=kind,
            project_id=project_id,
            now=tx.now,
        )
    elif (existing["token"], existing["kind"], existing["project_id"]) != (
        pair.token,
        kind,
        project_id,
    ):
        raise InvalidPayload(f"Key id {pair.key_id} is already in use with other settings")


def _key_id() -> str:
    # Voucherify app ids look like UUIDs; ours are random UUID4s.
    return str(uuid.uuid4())


def _checked(fields: dict[str, Any]) -> dict[str, Any]:
    """The settings ``fields`` gives, once they are fit to store (400 otherwise)."""
    given = {k: v for k, v in fields.items() if k in PROJECT_DEFAULTS}
    if "timezone" in given and not is_zone(given["timezone"]):
        raise InvalidPayload(
            "Invalid payload", f"timezone {given['timezone']!r} is not an IANA time zone name"
        )
    return given


def _create(
    tx: Tx, fields: dict[str, Any], *, is_default: bool = False, generate_app_key: bool = True
) -> dict[str, Any]:
    name = fields.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidPayload("Project name is required", "Provide a non-empty 'name'")
    project_id = new_id("project")
    attrs = {**PROJECT_DEFAULTS, **_checked(fields)}
    repo.insert_project(
        tx.conn,
        project_id=project_id,
        name=name,
        webhook_token=random_token(40),
        attrs=attrs,
        now=tx.now,
        is_default=is_default,
    )
    kinds = ("app", "client") if generate_app_key else ("client",)
    for kind in kinds:
        _put_key(tx, KeyPair(_key_id(), random_token(48)), kind, project_id)
    return {"id": project_id}


def create_project(uow: UnitOfWork, fields: dict[str, Any]) -> dict[str, Any]:
    """Create a project with fresh server-side and client-side keys."""
    with uow.write(MANAGEMENT_SCOPE) as tx:
        created = _create(tx, fields)
        return project_view(tx, created["id"])


def update_project(uow: UnitOfWork, project_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Change a project's settings; omitted fields stay."""
    with uow.write(MANAGEMENT_SCOPE) as tx:
        row = _require(tx, project_id)
        attrs = {**row["attrs"], **_checked(fields)}
        values: dict[str, Any] = {"attrs": attrs, "updated_at": tx.now}
        if fields.get("name"):
            values["name"] = fields["name"]
        repo.update_project(tx.conn, project_id, values)
        return project_view(tx, project_id)


def get_project(uow: UnitOfWork, project_id: str) -> dict[str, Any]:
    """One project with its keys."""
    with uow.read(MANAGEMENT_SCOPE) as tx:
        return project_view(tx, project_id)


def list_projects(uow: UnitOfWork) -> list[dict[str, Any]]:
    """All projects with their keys."""
    with uow.read(MANAGEMENT_SCOPE) as tx:
        return [project_view(tx, row["id"]) for row in repo.list_projects(tx.conn)]


def _require(tx: Tx, project_id: str) -> dict[str, Any]:
    row = repo.get_project(tx.conn, project_id)
    if row is None:
        raise NotFound("project", project_id)
    return row


def require_exists(tx: Tx, project_id: str) -> None:
    """404 ``not_found`` unless ``project_id`` is a project (for per-project settings)."""
    _require(tx, project_id)


def project_view(tx: Tx, project_id: str) -> dict[str, Any]:
    """A project row plus its key pairs, as the presenters expect it."""
    row = _require(tx, project_id)
    row["app_keys"] = repo.keys_of(tx.conn, kind="app", project_id=project_id)
    row["client_keys"] = repo.keys_of(tx.conn, kind="client", project_id=project_id)
    return row


def management_keys(uow: UnitOfWork) -> list[dict[str, Any]]:
    """The management key pairs."""
    with uow.read(MANAGEMENT_SCOPE) as tx:
        return repo.keys_of(tx.conn, kind="management", project_id=None)


def create_app_key(uow: UnitOfWork, project_id: str, label: str | None = None) -> KeyPair:
    """Add another server-side key pair to a project."""
    with uow.write(MANAGEMENT_SCOPE) as tx:
        _require(tx, project_id)
        pair = KeyPair(_key_id(), random_token(48))
        repo.insert_key(
            tx.conn,
            key_id=pair.key_id,
            token=pair.token,
            kind="app",
            project_id=project_id,
            now=tx.now,
            label=label,
        )
        return pair


def authenticate(uow: UnitOfWork, key_id: str, token: str) -> Principal | None:
    """The principal for a key pair, or None when the pair is unknown or wrong."""
    with uow.read(MANAGEMENT_SCOPE) as tx:
        row = repo.get_key(tx.conn, key_id)
    if row is None or not _same(row["token"], token):
        return None
    return Principal(kind=row["kind"], project_id=row["project_id"])


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
