"""The transactional outbox: one row per event, written in the transaction of its change.

Large objects of an event's data (a voucher, a campaign, a transaction …) are stored once in
``outbox_parts`` and referenced from the event's ``parts`` (ADR 0075): the three events of one
loyalty transaction share one rendered voucher, every event of a campaign shares its campaign.
"""

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, String, Table
from sqlalchemy.dialects.postgresql import JSONB

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.types import JSONType, UTCDateTime

NullableJSON = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
"""JSON where ``None`` is SQL NULL (not the JSON ``null``)."""

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
    # Top-level keys of ``data`` whose value is stored in ``outbox_parts``: {key: part id};
    # ``data`` holds null at those keys (their place in the key order). None: ``data`` is whole.
    Column("parts", NullableJSON),
    Column("created_at", UTCDateTime, nullable=False),
    # Set by the relay once it has fanned the event out into sendouts.
    Column("dispatched_at", UTCDateTime),
    Index("ix_outbox_events_pending", "dispatched_at", "seq"),
    Index("ix_outbox_events_customer", "project_id", "customer_id", "seq"),
)

outbox_parts = Table(
    "outbox_parts",
    metadata,
    # A content address: hash of the project, the owner and the encoded body.
    Column("id", String(40), primary_key=True),
    Column("project_id", String(40), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    # The customer whose events own the part (it holds that customer's id): purged with them.
    Column("customer_id", String(40)),
    Column("body", JSONType, nullable=False),
    Index("ix_outbox_parts_customer", "project_id", "customer_id"),
)
