"""Metadata schemas of one project (one per resource type)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, select

from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.schema.project_settings import metadata_schemas
from openvoucher.catalog.model import MetadataSchema
from openvoucher.kernel.scoped import ScopedRows


def _schema(row: Mapping[str, Any]) -> MetadataSchema:
    return MetadataSchema(
        id=row["id"],
        related_object=row["related_object"],
        allow_defined_only=bool(row["allow_defined_only"]),
        properties=row["properties"] or {},
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class MetadataSchemaRepository(ScopedRows):
    """SQL for metadata schemas."""

    table = metadata_schemas

    def schema(self, schema_id: str) -> MetadataSchema | None:
        """By id."""
        query = self._scoped().where(metadata_schemas.c.id == schema_id)
        row = self.conn.execute(query).mappings().first()
        return _schema(dict(row)) if row else None

    def get_for(self, related_object: str) -> MetadataSchema | None:
        """The schema of one resource type."""
        query = self._scoped().where(metadata_schemas.c.related_object == related_object)
        row = self.conn.execute(query).mappings().first()
        return _schema(dict(row)) if row else None

    def all(self) -> list[MetadataSchema]:
        """Every schema, oldest first (read by every write that checks metadata)."""
        params = {prepared.PROJECT: self.project_id}
        return [_schema(r) for r in prepared.all_rows(self.conn, _ALL_SCHEMAS, params)]


# Hot statement, built once (see ``adapters.db.prepared``): every redemption reads it.
_ALL_SCHEMAS = (
    select(metadata_schemas)
    .where(metadata_schemas.c.project_id == bindparam(prepared.PROJECT))
    .order_by(metadata_schemas.c.created_at, metadata_schemas.c.id)
)
