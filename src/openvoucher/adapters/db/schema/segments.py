"""Customer segments and the members of static ones.

A segment is ``static`` (its customers listed in ``segment_customers``; a member goes when
the customer is deleted) or ``auto-update`` / ``passive`` (its ``filter`` over customer
fields, in ``attrs``, says who belongs now).
"""

from sqlalchemy import Column, ForeignKey, Index, String, Table

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

segments = Table(
    "segments",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("name", String(300)),
    Column("type", String(20), nullable=False),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_segments_project_type", "project_id", "type"),
)

segment_customers = Table(
    "segment_customers",
    metadata,
    Column(
        "segment_id",
        String(40),
        ForeignKey("segments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "customer_id",
        String(40),
        ForeignKey("customers.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    project_column(),
    Index("ix_segment_customers_customer", "customer_id"),
)
