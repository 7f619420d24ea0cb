"""Exports: a CSV file produced by an async action, downloaded from this server."""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

exports = Table(
    "exports",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("exported_object", String(40), nullable=False),
    # SCHEDULED → IN_PROGRESS → DONE | ERROR
    Column("status", String(20), nullable=False),
    Column("channel", String(40)),
    Column("parameters", JSONType, nullable=False),
    Column("async_action_id", String(40)),
    # The secret in the download link; the file itself is kept in ``export_parts``.
    Column("token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Index("ix_exports_project_created", "project_id", "created_at"),
)

# The file of an export, written a page of rows at a time: part ``seq`` 0 holds the header.
export_parts = Table(
    "export_parts",
    metadata,
    Column(
        "export_id",
        String(40),
        ForeignKey("exports.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    project_column(),
    Column("content", Text, nullable=False),
)
