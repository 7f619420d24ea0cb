"""Metadata schemas and stacking rules of one project."""

from __future__ import annotations

from typing import Any

from openvoucher.adapters.db.schema.project_settings import metadata_schemas, stacking_rules
from openvoucher.kernel.scoped import ScopedRows


class MetadataSchemaRepository(ScopedRows):
    """SQL for metadata schemas."""

    table = metadata_schemas

    def get_for(self, related_object: str) -> dict[str, Any] | None:
        """The schema of one resource type."""
        return self._first(
            self._scoped().where(metadata_schemas.c.related_object == related_object)
        )

    def all(self) -> list[dict[str, Any]]:
        """Every schema, oldest first."""
        query = self._scoped().order_by(metadata_schemas.c.created_at, metadata_schemas.c.id)
        return [dict(r) for r in self.conn.execute(query).mappings()]


class StackingRulesRepository(ScopedRows):
    """SQL for the project's (single) stacking rules row."""

    table = stacking_rules

    def current(self) -> dict[str, Any] | None:
        """The project's own rules, or None when it uses the defaults."""
        return self._first(self._scoped())
