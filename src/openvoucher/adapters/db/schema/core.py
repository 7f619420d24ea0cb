"""Projects and their API keys."""

from sqlalchemy import Boolean, Column, ForeignKey, Index, String, Table, Text

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.types import JSONType, UTCDateTime

projects = Table(
    "projects",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("is_default", Boolean, nullable=False, default=False),
    Column("webhook_token", String(80), nullable=False),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(80), primary_key=True),
    Column("token", String(120), nullable=False),
    # "app" keys belong to a project; "management" keys act on all projects.
    Column("kind", String(20), nullable=False),
    Column("project_id", String(40), ForeignKey("projects.id", ondelete="CASCADE")),
    Column("label", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_api_keys_project", "project_id"),
)
