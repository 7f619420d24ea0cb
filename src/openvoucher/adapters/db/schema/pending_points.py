"""Pending loyalty points: points an earning rule gave that wait before reaching the balance.

An entry is PENDING until it is activated (its ``activates_at`` passed, or by hand: its points
then become a ``PENDING_POINTS_ACTIVATION`` transaction) or canceled. Only PENDING entries
count towards the card's ``pending_points``.
"""

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

loyalty_pending_points = Table(
    "loyalty_pending_points",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("id", String(40), nullable=False, unique=True),
    project_column(),
    Column("voucher_id", String(40), nullable=False),
    Column("campaign_id", String(40)),
    Column("customer_id", String(40)),
    Column("order_id", String(40)),
    Column("points", BigInteger, nullable=False),
    # PENDING, ACTIVATED or CANCELED.
    Column("status", String(10), nullable=False),
    # 00:00 UTC of the activation date.
    Column("activates_at", UTCDateTime, nullable=False),
    # details (as rendered) and the earning rule's expiration_rules for the activation.
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Index("ix_pending_points_voucher", "project_id", "voucher_id", "status", "seq"),
    Index("ix_pending_points_campaign", "project_id", "campaign_id", "status", "seq"),
    Index("ix_pending_points_due", "status", "activates_at"),
)

__all__ = ["loyalty_pending_points"]
