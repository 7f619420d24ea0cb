"""Metadata schemas: one per resource type (``related_object``) in a project.

A definition sent on update replaces the stored one (pairs not sent fall back to defaults);
definitions not sent stay. A definition's ``type`` cannot change.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openvoucher.catalog.domain import metadata
from openvoucher.catalog.model import MetadataSchema, MetadataSchemaFields
from openvoucher.catalog.repositories.metadata_schemas import MetadataSchemaRepository
from openvoucher.kernel.errors import DuplicateFound, InvalidPayload, NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import projects

DEFINITION_DEFAULTS: dict[str, object] = {
    "type": None,
    "array": False,
    "optional": True,
    "deleted": False,
    "object_type": None,
}


def _repo(tx: Tx) -> MetadataSchemaRepository:
    return MetadataSchemaRepository(tx.conn, tx.project_id)


def _require_project(tx: Tx) -> None:
    projects.require_exists(tx, tx.project_id)


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


def _columns(schema: MetadataSchema) -> dict[str, object]:
    return {
        "id": schema.id,
        "related_object": schema.related_object,
        "allow_defined_only": schema.allow_defined_only,
        "properties": schema.properties,
        "created_at": schema.created_at,
        "updated_at": schema.updated_at,
    }


def create(uow: UnitOfWork, project_id: str, fields: MetadataSchemaFields) -> MetadataSchema:
    """Define the schema of ``related_object``; 409 when it already has one."""
    related = fields.related_object
    if not related:
        raise InvalidPayload("Invalid payload", "related_object is required")
    if fields.properties is None:
        raise InvalidPayload("Invalid payload", "properties is required")
    with uow.write(project_id) as tx:
        _require_project(tx)
        if _repo(tx).get_for(related) is not None:
            raise DuplicateFound(
                "Duplicated resource", f"A metadata schema for {related} already exists"
            )
        schema = MetadataSchema(
            id=new_id("metadata_schema"),
            related_object=related,
            allow_defined_only=bool(fields.allow_defined_only),
            properties=_definitions(fields.properties),
            created_at=tx.now,
        )
        _repo(tx).insert(_columns(schema))
        return _require(tx, schema.id)


def _require(tx: Tx, schema_id: str) -> MetadataSchema:
    row = _repo(tx).schema(schema_id)
    if row is None:
        raise NotFound("metadata_schema", schema_id)
    return row


def get(uow: UnitOfWork, project_id: str, schema_id: str) -> MetadataSchema:
    """By id."""
    with uow.read(project_id) as tx:
        _require_project(tx)
        return _require(tx, schema_id)


def get_for(uow: UnitOfWork, project_id: str, related_object: str) -> MetadataSchema:
    """The schema of a resource type, or 404."""
    with uow.read(project_id) as tx:
        row = _repo(tx).get_for(related_object)
    if row is None:
        raise NotFound("metadata_schema", related_object)
    return row


def find_for(tx: Tx, related_object: str) -> MetadataSchema | None:
    """The schema of a resource type in an open transaction (e.g. to type metadata)."""
    return _repo(tx).get_for(related_object)


def _project_schemas(tx: Tx) -> dict[str, MetadataSchema]:
    # Read once per transaction: a redemption checks several resources' metadata.
    key = ("metadata_schemas",)
    if key not in tx.memo:
        tx.memo[key] = {row.related_object: row for row in _repo(tx).all()}
    schemas: dict[str, MetadataSchema] = tx.memo[key]
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


def list_schemas(uow: UnitOfWork, project_id: str) -> list[MetadataSchema]:
    """Every schema of the project."""
    with uow.read(project_id) as tx:
        _require_project(tx)
        return _repo(tx).all()


def update(
    uow: UnitOfWork, project_id: str, schema_id: str, fields: MetadataSchemaFields
) -> MetadataSchema:
    """Add or replace the given definitions; change ``allow_defined_only`` when given."""
    with uow.write(project_id) as tx:
        _require_project(tx)
        row = _require(tx, schema_id)
        given = _definitions(fields.properties or {})
        for name, definition in given.items():
            old = row.properties.get(name)
            if old is not None and old.get("type") != definition["type"]:
                raise InvalidPayload(
                    "Invalid payload", f"The type of definition '{name}' cannot change"
                )
        allowed = fields.allow_defined_only
        changed = replace(
            row,
            properties={**row.properties, **given},
            allow_defined_only=row.allow_defined_only if allowed is None else allowed,
            updated_at=tx.now,
        )
        _repo(tx).update(row.id, _columns(changed))
        return _require(tx, row.id)


def delete(uow: UnitOfWork, project_id: str, schema_id: str) -> None:
    """Remove a schema permanently (metadata already stored on resources stays)."""
    with uow.write(project_id) as tx:
        _require_project(tx)
        _repo(tx).delete(_require(tx, schema_id).id)
