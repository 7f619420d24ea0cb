"""Promotion tiers (the redeemables of PROMOTION campaigns) and promotion stacks."""

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, Integer, String, Table

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

promotion_tiers = Table(
    "promotion_tiers",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column(
        "campaign_id", String(40), ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False
    ),
    Column("name", String(300), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("hierarchy", Integer, nullable=False),
    Column("start_date", UTCDateTime),
    Column("expiration_date", UTCDateTime),
    # summary.redemptions.total_redeemed and summary.orders.*, counted as redemptions succeed
    # (and roll back) with ``UPDATE … SET x = x + n``.
    Column("redeemed_quantity", Integer, nullable=False, default=0),
    Column("orders_amount", BigInteger, nullable=False, default=0),
    Column("orders_discount", BigInteger, nullable=False, default=0),
    # banner, action, metadata, validity_* and category_id.
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Index("ix_promotion_tiers_project_campaign", "project_id", "campaign_id"),
    Index("ix_promotion_tiers_project_created", "project_id", "created_at"),
)

promotion_stacks = Table(
    "promotion_stacks",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column(
        "campaign_id", String(40), ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False
    ),
    Column("name", String(300), nullable=False),
    Column("category_id", String(40)),
    # tiers: {ids: [...], hierarchy_mode}
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Index("ix_promotion_stacks_project_campaign", "project_id", "campaign_id"),
)
