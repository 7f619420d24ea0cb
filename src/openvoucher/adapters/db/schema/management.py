"""Project configuration of the management API: custom event schemas, branding, users."""

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

custom_event_schemas = Table(
    "custom_event_schemas",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("name", String(300), nullable=False),
    Column("properties", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("project_id", "name"),
)

# At most one brand per project; ``attrs`` holds the brand, address and contact objects.
brandings = Table(
    "brandings",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("project_id"),
)

# Users belong to the organisation (like projects), not to one project; invitations create them.
users = Table(
    "users",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("login", String(320), nullable=False, unique=True),
    Column("attrs", JSONType, nullable=False),
    Column("invited_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
)

project_users = Table(
    "project_users",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("user_id", String(40), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("role", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("project_id", "user_id"),
)

# A campaign's setup saved for reuse: ``attrs`` holds the campaign definition (type, voucher,
# validity, code config, promotion tiers …) the template recreates.
campaign_templates = Table(
    "campaign_templates",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("name", String(300), nullable=False),
    Column("description", String(1000)),
    Column("campaign_type", String(40), nullable=False),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
)
