"""Rewards (what points buy) and their assignments to loyalty programmes with a points cost."""

from sqlalchemy import BigInteger, Column, Index, String, Table, UniqueConstraint

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

rewards = Table(
    "rewards",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("name", String(300)),
    # CAMPAIGN | COIN | MATERIAL
    Column("type", String(10), nullable=False),
    Column("stock", BigInteger),
    Column("redeemed", BigInteger, nullable=False),
    # parameters, attributes, metadata
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Index("ix_rewards_project_created", "project_id", "created_at"),
)

reward_assignments = Table(
    "reward_assignments",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("reward_id", String(40), nullable=False),
    Column("campaign_id", String(40), nullable=False),
    # The points cost (null for COIN rewards: the member chooses how many points to spend).
    Column("points", BigInteger),
    # auto_redeem, validation_rules
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("project_id", "reward_id", "campaign_id"),
    Index("ix_reward_assignments_campaign", "project_id", "campaign_id", "created_at"),
)

__all__ = ["reward_assignments", "rewards"]
