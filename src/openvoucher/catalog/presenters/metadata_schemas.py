"""Metadata schemas in the management API's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.model import MetadataSchema
from openvoucher.kernel.clock import iso
from openvoucher.kernel.lists import listing


def metadata_schema(row: MetadataSchema) -> dict[str, Any]:
    """The metadata schema object."""
    return {
        "id": row.id,
        "related_object": row.related_object,
        "properties": row.properties,
        "allow_defined_only": row.allow_defined_only,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at) if row.updated_at is not None else None,
        "object": "metadata_schema",
    }


def metadata_schemas_list(rows: list[MetadataSchema], data_ref: str) -> dict[str, Any]:
    """The list envelope (``data`` on the management API, ``schemas`` on ``/v1``)."""
    return listing([metadata_schema(row) for row in rows], len(rows), data_ref)
