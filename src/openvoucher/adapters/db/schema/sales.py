"""Orders."""

from sqlalchemy import BigInteger, Column, Index, String, Table, UniqueConstraint

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

orders = Table(
    "orders",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("source_id", String(300)),
    Column("status", String(20), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("customer_id", String(40)),
    Column("referrer_id", String(40)),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("project_id", "source_id"),
    Index("ix_orders_project_created", "project_id", "created_at"),
    Index("ix_orders_project_customer", "project_id", "customer_id"),
)
