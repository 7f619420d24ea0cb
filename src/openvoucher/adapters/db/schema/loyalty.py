"""Loyalty programmes: point expiration buckets, earning rules, tiers and custom events.

A card's points live in buckets, one per addition, each with the instant its points are
deducted (``expires_at``, null: never). ``points`` is what is left of ``total_points``;
the card's cached balance equals the sum of its buckets' ``points`` (plus points it held
before its ledger began).
"""

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

loyalty_point_buckets = Table(
    "loyalty_point_buckets",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("id", String(40), nullable=False, unique=True),
    project_column(),
    Column("voucher_id", String(40), nullable=False),
    Column("campaign_id", String(40)),
    Column("total_points", BigInteger, nullable=False),
    Column("points", BigInteger, nullable=False),
    # ACTIVE while points are left to spend or expire; USED when spent; EXPIRED when deducted.
    Column("status", String(10), nullable=False),
    Column("expires_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Index("ix_loyalty_buckets_voucher", "project_id", "voucher_id", "status"),
    Index("ix_loyalty_buckets_due", "status", "expires_at"),
)

earning_rules = Table(
    "earning_rules",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("campaign_id", String(40), nullable=False),
    Column("event", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Index("ix_earning_rules_campaign", "project_id", "campaign_id", "created_at"),
    Index("ix_earning_rules_event", "project_id", "event"),
)

loyalty_tiers = Table(
    "loyalty_tiers",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("campaign_id", String(40), nullable=False),
    Column("name", String(300), nullable=False),
    Column("points_from", BigInteger, nullable=False),
    Column("points_to", BigInteger),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Index("ix_loyalty_tiers_campaign", "project_id", "campaign_id", "points_from"),
)

custom_events = Table(
    "custom_events",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("type", String(300), nullable=False),
    Column("customer_id", String(40)),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_custom_events_customer", "project_id", "customer_id", "created_at"),
)

__all__ = ["custom_events", "earning_rules", "loyalty_point_buckets", "loyalty_tiers"]
