"""Locations: named circles or polygons on the map (Voucherify's geofencing areas).

The shape, as rendered, lives in ``attrs``; ``updated_at`` stays null (locations are
created and deleted, never changed).
"""

from sqlalchemy import Column, Index, String, Table

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

locations = Table(
    "locations",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("name", String(300), nullable=False),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Index("ix_locations_project_created", "project_id", "created_at"),
)
