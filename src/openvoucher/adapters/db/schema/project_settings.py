"""Project configuration set through the management API: metadata schemas, stacking rules."""

from sqlalchemy import Boolean, Column, String, Table, UniqueConstraint

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

metadata_schemas = Table(
    "metadata_schemas",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("related_object", String(200), nullable=False),
    Column("allow_defined_only", Boolean, nullable=False),
    Column("properties", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("project_id", "related_object"),
)

# At most one row per project: the project's own rules, replacing Voucherify's defaults.
stacking_rules = Table(
    "stacking_rules",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("rules", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("project_id"),
)
