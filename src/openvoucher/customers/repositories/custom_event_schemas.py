"""Custom event schemas of one project."""

from __future__ import annotations

from sqlalchemy import RowMapping

from openvoucher.adapters.db.schema.management import custom_event_schemas
from openvoucher.customers.model import CustomEventSchema
from openvoucher.kernel.scoped import ScopedRows


def _schema(row: RowMapping) -> CustomEventSchema:
    return CustomEventSchema(
        id=row["id"],
        name=row["name"],
        properties=row["properties"] or {},
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class CustomEventSchemaRepository(ScopedRows):
    """SQL for custom event schemas."""

    table = custom_event_schemas

    def schema(self, schema_id: str) -> CustomEventSchema | None:
        """By id."""
        query = self._scoped().where(custom_event_schemas.c.id == schema_id)
        row = self.conn.execute(query).mappings().first()
        return _schema(row) if row else None

    def named(self, name: str) -> CustomEventSchema | None:
        """The schema of one event name."""
        query = self._scoped().where(custom_event_schemas.c.name == name)
        row = self.conn.execute(query).mappings().first()
        return _schema(row) if row else None

    def add(self, schema: CustomEventSchema) -> None:
        """Store a new schema."""
        self.insert(
            {
                "id": schema.id,
                "name": schema.name,
                "properties": schema.properties,
                "created_at": schema.created_at,
                "updated_at": schema.updated_at,
            }
        )

    def count(self) -> int:
        """How many schemas the project has."""
        return self._count()

    def all(self) -> list[CustomEventSchema]:
        """Every schema, oldest first."""
        c = custom_event_schemas.c
        query = self._scoped().order_by(c.created_at, c.id)
        return [_schema(r) for r in self.conn.execute(query).mappings()]
