"""Metadata schemas and stacking rules of one project."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from openvoucher.adapters.db import prepared
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
        """Every schema, oldest first (read by every write that checks metadata)."""
        return prepared.all_rows(self.conn, _ALL_SCHEMAS, {prepared.PROJECT: self.project_id})


class StackingRulesRepository(ScopedRows):
    """SQL for the project's (single) stacking rules row."""

    table = stacking_rules

    def current(self) -> dict[str, Any] | None:
        """The project's own rules, or None when it uses the defaults."""
        return prepared.first(self.conn, _RULES, {prepared.PROJECT: self.project_id})


# Hot statements, built once (see ``adapters.db.prepared``): every redemption reads both.
_ALL_SCHEMAS = (
    select(metadata_schemas)
    .where(metadata_schemas.c.project_id == bindparam(prepared.PROJECT))
    .order_by(metadata_schemas.c.created_at, metadata_schemas.c.id)
)
_RULES = select(stacking_rules).where(stacking_rules.c.project_id == bindparam(prepared.PROJECT))
