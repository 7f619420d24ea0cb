"""The transactional outbox: one row per event, written in the transaction of its change."""

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.types import JSONType, UTCDateTime

outbox_events = Table(
    "outbox_events",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("id", String(60), nullable=False, unique=True),
    Column("project_id", String(40), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(120), nullable=False),
    Column("entity_id", String(60)),
    Column("group_id", String(60)),
    # The customer the event is about (its data's ``customer`` or ``holder``): customer activity.
    Column("customer_id", String(40)),
    Column("data", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # Set by the relay once it has fanned the event out into sendouts.
    Column("dispatched_at", UTCDateTime),
    Index("ix_outbox_events_pending", "dispatched_at", "seq"),
    Index("ix_outbox_events_customer", "project_id", "customer_id", "seq"),
)
