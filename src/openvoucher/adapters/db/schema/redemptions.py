"""Redemptions and their rollbacks (one table, ``object`` tells them apart) and LOCK sessions."""

from sqlalchemy import BigInteger, Column, Index, Integer, PrimaryKeyConstraint, String, Table

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

redemptions = Table(
    "redemptions",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("id", String(40), nullable=False, unique=True),
    project_column(),
    # "redemption" or "redemption_rollback"
    Column("object", String(30), nullable=False),
    # The stacked parent (a parent redemption, or a parent rollback), if any.
    Column("parent_id", String(40)),
    # Voucherify's ``redemption`` field: a child's parent redemption, a rollback's redemption.
    Column("redemption_id", String(40)),
    Column("voucher_id", String(40)),
    Column("voucher_code", String(300)),
    # The redeemed promotion tier (a redemption of a tier has no voucher).
    Column("promotion_tier_id", String(40)),
    Column("campaign_id", String(40)),
    Column("campaign_name", String(300)),
    Column("customer_id", String(40)),
    Column("order_id", String(40)),
    Column("tracking_id", String(300)),
    # SUCCESS | FAILURE
    Column("result", String(10), nullable=False),
    # SUCCEEDED | FAILED | ROLLED_BACK
    Column("status", String(12), nullable=False),
    Column("amount", BigInteger),
    Column("failure_code", String(80)),
    Column("related_object_type", String(20), nullable=False),
    Column("related_object_id", String(40)),
    # Snapshots (order, customer, voucher), result, gift, metadata, reason, rollbacks …
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_redemptions_project_seq", "project_id", "seq"),
    Index("ix_redemptions_project_voucher", "project_id", "voucher_id", "seq"),
    Index("ix_redemptions_project_customer", "project_id", "customer_id"),
    Index("ix_redemptions_project_parent", "project_id", "parent_id"),
    # Validation rules tally a tier's or a campaign's redemptions (``redemption.count.*``
    # of a tier, ``campaign.*`` budgets).
    Index("ix_redemptions_project_tier", "project_id", "promotion_tier_id", "seq"),
    Index("ix_redemptions_project_campaign", "project_id", "campaign_id", "seq"),
    # The overview's redemptions per day: the last 30 days only (docs/adr/0074).
    Index("ix_redemptions_project_created", "project_id", "created_at"),
)

redemption_sessions = Table(
    "redemption_sessions",
    metadata,
    project_column(),
    Column("key", String(200), nullable=False),
    Column("voucher_id", String(40), nullable=False),
    # What the session holds of the voucher: one use, and gift credits (a gift card) or
    # loyalty points (a loyalty card) in ``credits``.
    Column("quantity", Integer, nullable=False),
    Column("credits", BigInteger, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("project_id", "key", "voucher_id"),
    Index("ix_redemption_sessions_voucher", "project_id", "voucher_id", "expires_at"),
)
