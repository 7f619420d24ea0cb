"""Custom event schemas in the management API's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.customers.model import CustomEventSchema
from openvoucher.kernel.clock import iso
from openvoucher.kernel.lists import listing


def custom_event_schema(row: CustomEventSchema) -> dict[str, Any]:
    """The custom event schema object."""
    return {
        "id": row.id,
        "name": row.name,
        "schema": {"properties": row.properties},
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at) if row.updated_at is not None else None,
        "object": "custom-event-schema",
    }


def custom_event_schemas_list(rows: list[CustomEventSchema]) -> dict[str, Any]:
    """The list envelope."""
    return listing([custom_event_schema(row) for row in rows], len(rows))
