"""Metadata schemas: one per resource type (``related_object``) in a project.

A definition sent on update replaces the stored one (pairs not sent fall back to defaults);
definitions not sent stay. A definition's ``type`` cannot change.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.domain import metadata
from openvoucher.kernel.errors import DuplicateFound, InvalidPayload, NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform.repositories import projects as project_repo
from openvoucher.platform.repositories.project_settings import MetadataSchemaRepository

DEFINITION_DEFAULTS: dict[str, Any] = {
    "type": None,
    "array": False,
    "optional": True,
    "deleted": False,
    "object_type": None,
}


def _repo(tx: Tx) -> MetadataSchemaRepository:
    return MetadataSchemaRepository(tx.conn, tx.project_id)


def _require_project(tx: Tx) -> None:
    if project_repo.get_project(tx.conn, tx.project_id) is None:
        raise NotFound("project", tx.project_id)


def _definitions(properties: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {}
    for name, definition in properties.items():
        if not name.strip():
            raise InvalidPayload("Invalid payload", "Metadata property names must not be empty")
        if definition.get("type") is None:
            raise InvalidPayload("Invalid payload", f"Definition '{name}' needs a type")
        if definition["type"] == "object" and not definition.get("object_type"):
            raise InvalidPayload("Invalid payload", f"Definition '{name}' needs an object_type")
        out[name] = {**DEFINITION_DEFAULTS, **definition}
    return out


def create(uow: UnitOfWork, project_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Define the schema of ``related_object``; 409 when it already has one."""
    related = fields.get("related_object")
    if not related:
        raise InvalidPayload("Invalid payload", "related_object is required")
    if fields.get("properties") is None:
        raise InvalidPayload("Invalid payload", "properties is required")
    with uow.write(project_id) as tx:
        _require_project(tx)
        if _repo(tx).get_for(related) is not None:
            raise DuplicateFound(
                "Duplicated resource", f"A metadata schema for {related} already exists"
            )
        schema_id = new_id("metadata_schema")
        _repo(tx).insert(
            {
                "id": schema_id,
                "related_object": related,
                "allow_defined_only": bool(fields.get("allow_defined_only")),
                "properties": _definitions(fields["properties"]),
                "created_at": tx.now,
                "updated_at": None,
            }
        )
        return _require(tx, schema_id)


def _require(tx: Tx, schema_id: str) -> dict[str, Any]:
    row = _repo(tx).get(schema_id)
    if row is None:
        raise NotFound("metadata_schema", schema_id)
    return row


def get(uow: UnitOfWork, project_id: str, schema_id: str) -> dict[str, Any]:
    """By id."""
    with uow.read(project_id) as tx:
        _require_project(tx)
        return _require(tx, schema_id)


def get_for(uow: UnitOfWork, project_id: str, related_object: str) -> dict[str, Any]:
    """The schema of a resource type, or 404."""
    with uow.read(project_id) as tx:
        row = _repo(tx).get_for(related_object)
    if row is None:
        raise NotFound("metadata_schema", related_object)
    return row


def find_for(tx: Tx, related_object: str) -> dict[str, Any] | None:
    """The schema of a resource type in an open transaction (e.g. to type metadata)."""
    return _repo(tx).get_for(related_object)


def _project_schemas(tx: Tx) -> dict[str, dict[str, Any]]:
    # Read once per transaction: a redemption checks several resources' metadata.
    key = ("metadata_schemas",)
    if key not in tx.memo:
        tx.memo[key] = {row["related_object"]: row for row in _repo(tx).all()}
    schemas: dict[str, dict[str, Any]] = tx.memo[key]
    return schemas


def enforce(tx: Tx, related_object: str, values: dict[str, Any] | None) -> None:
    """Reject (400, nothing written) metadata that breaks the schema of ``related_object``.

    ``values`` is the metadata the resource will hold after the write. Call it inside the
    write's transaction, before anything is stored.
    """
    schemas = _project_schemas(tx)
    schema = schemas.get(related_object)
    if schema is None:
        return
    nested = {name: schemas[name] for name in metadata.object_types(schema) if name in schemas}
    problems = metadata.violations(values or {}, schema, nested)
    if problems:
        raise InvalidPayload("Invalid metadata", "; ".join(problems))


def typed_text(tx: Tx, related_object: str, values: dict[str, Any]) -> dict[str, Any]:
    """Text metadata (from a CSV file) with numbers and booleans typed as the schema says."""
    schema = _project_schemas(tx).get(related_object)
    return values if schema is None else metadata.typed_text(values, schema)


def list_schemas(uow: UnitOfWork, project_id: str) -> list[dict[str, Any]]:
    """Every schema of the project."""
    with uow.read(project_id) as tx:
        _require_project(tx)
        return _repo(tx).all()


def update(
    uow: UnitOfWork, project_id: str, schema_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """Add or replace the given definitions; change ``allow_defined_only`` when given."""
    with uow.write(project_id) as tx:
        _require_project(tx)
        row = _require(tx, schema_id)
        given = _definitions(fields.get("properties") or {})
        for name, definition in given.items():
            old = row["properties"].get(name)
            if old is not None and old.get("type") != definition["type"]:
                raise InvalidPayload(
                    "Invalid payload", f"The type of definition '{name}' cannot change"
                )
        values: dict[str, Any] = {
            "properties": {**row["properties"], **given},
            "updated_at": tx.now,
        }
        if fields.get("allow_defined_only") is not None:
            values["allow_defined_only"] = fields["allow_defined_only"]
        _repo(tx).update(row["id"], values)
        return _require(tx, row["id"])


def delete(uow: UnitOfWork, project_id: str, schema_id: str) -> None:
    """Remove a schema permanently (metadata already stored on resources stays)."""
    with uow.write(project_id) as tx:
        _require_project(tx)
        _repo(tx).delete(_require(tx, schema_id)["id"])
