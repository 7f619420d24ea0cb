"""Metadata schemas of one project (one per resource type)."""

from __future__ import annotations

from sqlalchemy import RowMapping

from openvoucher.adapters.db.schema.project_settings import metadata_schemas
from openvoucher.catalog.model import MetadataSchema
from openvoucher.kernel.scoped import ScopedRows


def _schema(row: RowMapping) -> MetadataSchema:
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
        return _schema(row) if row else None

    def get_for(self, related_object: str) -> MetadataSchema | None:
        """The schema of one resource type."""
        query = self._scoped().where(metadata_schemas.c.related_object == related_object)
        row = self.conn.execute(query).mappings().first()
        return _schema(row) if row else None

    def all(self) -> list[MetadataSchema]:
        """Every schema, oldest first."""
        query = self._scoped().order_by(metadata_schemas.c.created_at, metadata_schemas.c.id)
        return [_schema(r) for r in self.conn.execute(query).mappings()]
