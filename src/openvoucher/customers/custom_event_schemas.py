"""Custom event schemas: the event names a project tracks and the metadata each carries.

A definition sent on update replaces the stored one (its type may change; ``deleted: true``
switches it off); definitions not sent stay. ``POST /v1/events`` checks events against them
with :func:`check_event`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openvoucher.catalog.domain import metadata
from openvoucher.customers.model import CustomEventSchema, CustomEventSchemaFields
from openvoucher.customers.repositories.custom_event_schemas import CustomEventSchemaRepository
from openvoucher.kernel.errors import DuplicateFound, InvalidPayload, NotFound, VoucherifyError
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import projects

DEFINITION_DEFAULTS: dict[str, object] = {"optional": True, "deleted": False}


def _repo(tx: Tx) -> CustomEventSchemaRepository:
    return CustomEventSchemaRepository(tx.conn, tx.project_id)


def _require_project(tx: Tx) -> None:
    projects.require_exists(tx, tx.project_id)


def _require(tx: Tx, schema_id: str) -> CustomEventSchema:
    _require_project(tx)
    row = _repo(tx).schema(schema_id)
    if row is None:
        raise NotFound("custom_event_schema", schema_id)
    return row


def require(tx: Tx, schema_id: str) -> CustomEventSchema:
    """The schema, or 404 (for rules naming it)."""
    return _require(tx, schema_id)


def _definitions(properties: dict[str, dict[str, Any]] | None) -> dict[str, dict[str, Any]]:
    out = {}
    for name, definition in (properties or {}).items():
        if not name.strip():
            raise InvalidPayload("Invalid payload", "Property names must not be empty")
        given = {k: v for k, v in definition.items() if v is not None}
        out[name] = {**DEFINITION_DEFAULTS, **given}
    return out


def create(uow: UnitOfWork, project_id: str, fields: CustomEventSchemaFields) -> CustomEventSchema:
    """Define an event name with its properties; 409 when the name is taken."""
    name = (fields.name or "").strip()
    if not name:
        raise InvalidPayload("Invalid payload", "name is required")
    if fields.properties is None:
        raise InvalidPayload("Invalid payload", "schema is required")
    with uow.write(project_id) as tx:
        _require_project(tx)
        if _repo(tx).named(name) is not None:
            raise DuplicateFound(
                "Duplicated resource", f"A custom event schema named {name} already exists"
            )
        schema = CustomEventSchema(
            id=new_id("custom_event_schema"),
            name=name,
            properties=_definitions(fields.properties),
            created_at=tx.now,
        )
        _repo(tx).add(schema)
        return _require(tx, schema.id)


def get(uow: UnitOfWork, project_id: str, schema_id: str) -> CustomEventSchema:
    """By id."""
    with uow.read(project_id) as tx:
        return _require(tx, schema_id)


def list_schemas(uow: UnitOfWork, project_id: str) -> list[CustomEventSchema]:
    """Every schema of the project."""
    with uow.read(project_id) as tx:
        _require_project(tx)
        return _repo(tx).all()


def update(
    uow: UnitOfWork, project_id: str, schema_id: str, fields: CustomEventSchemaFields
) -> CustomEventSchema:
    """Add or replace the given property definitions."""
    with uow.write(project_id) as tx:
        row = _require(tx, schema_id)
        changed = replace(row, properties={**row.properties, **_definitions(fields.properties)})
        _repo(tx).update(row.id, {"properties": changed.properties, "updated_at": tx.now})
        return _require(tx, row.id)


def delete(uow: UnitOfWork, project_id: str, schema_id: str) -> None:
    """Remove a schema and its properties (events already tracked stay)."""
    with uow.write(project_id) as tx:
        _repo(tx).delete(_require(tx, schema_id).id)


def check_event(tx: Tx, name: str, values: dict[str, Any] | None) -> CustomEventSchema | None:
    """The schema of event ``name``, after checking ``values`` (its metadata) against it.

    A project that defines no event schema accepts any name (returns None). Once it defines
    some, a name without a schema is refused (404), as is metadata that breaks the schema (400).
    """
    repo = _repo(tx)
    row = repo.named(name)
    if row is None:
        if repo.count():
            raise VoucherifyError(
                "Resource not found",
                f"Cannot find custom event schema named {name}",
                key="not_found",
                status=404,
                extra={"resource_id": name, "resource_type": "custom_event_schema"},
            )
        return None
    problems = metadata.violations(values or {}, metadata.Defined(row.properties), {})
    if problems:
        raise InvalidPayload("Invalid metadata", "; ".join(problems))
    return row
