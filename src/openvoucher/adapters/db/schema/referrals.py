"""Referral programs: the holders of referral codes and the referrals counted."""

from sqlalchemy import Column, ForeignKey, Index, String, Table, UniqueConstraint

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

redeemable_holders = Table(
    "redeemable_holders",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("voucher_id", String(40), ForeignKey("vouchers.id", ondelete="CASCADE"), nullable=False),
    Column("campaign_id", String(40)),
    Column(
        "customer_id", String(40), ForeignKey("customers.id", ondelete="CASCADE"), nullable=False
    ),
    # REFERRER (the code was published to them) | REFEREE (added as a holder)
    Column("holder_role", String(10), nullable=False),
    Column("publication_id", String(40)),
    # metadata
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("project_id", "voucher_id", "customer_id"),
    Index("ix_redeemable_holders_customer", "project_id", "customer_id"),
)

referrals = Table(
    "referrals",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("campaign_id", String(40), nullable=False),
    Column("voucher_id", String(40), nullable=False),
    Column("referrer_id", String(40), nullable=False),
    Column("referee_id", String(40), nullable=False),
    # redemption | custom_event, and the id of that redemption or event
    Column("related_object_type", String(20), nullable=False),
    Column("related_object_id", String(40), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # A referee counts once per referrer in a campaign ("each unique referee").
    UniqueConstraint("project_id", "campaign_id", "referrer_id", "referee_id"),
    Index("ix_referrals_referee", "project_id", "referee_id"),
)

__all__ = ["redeemable_holders", "referrals"]
