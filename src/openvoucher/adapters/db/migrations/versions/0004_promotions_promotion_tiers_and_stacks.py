"""Promotion tiers and stacks; redemptions may name a promotion tier

Revision ID: 0004_promotions
Revises: 0003_unit_effects
Create Date: 2026-12-06 16:15:26.640991
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import openvoucher.adapters.db.types

revision = "0004_promotions"
down_revision = "0003_unit_effects"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "promotion_stacks",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("campaign_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("category_id", sa.String(length=40), nullable=True),
        sa.Column(
            "attrs",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "created_at", openvoucher.adapters.db.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", openvoucher.adapters.db.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_promotion_stacks_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_promotion_stacks_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotion_stacks")),
    )
    with op.batch_alter_table("promotion_stacks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_promotion_stacks_project_campaign", ["project_id", "campaign_id"], unique=False
        )

    op.create_table(
        "promotion_tiers",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("campaign_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("hierarchy", sa.Integer(), nullable=False),
        sa.Column(
            "start_date", openvoucher.adapters.db.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "expiration_date",
            openvoucher.adapters.db.types.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("redeemed_quantity", sa.Integer(), nullable=False),
        sa.Column("orders_amount", sa.BigInteger(), nullable=False),
        sa.Column("orders_discount", sa.BigInteger(), nullable=False),
        sa.Column(
            "attrs",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "created_at", openvoucher.adapters.db.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", openvoucher.adapters.db.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_promotion_tiers_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_promotion_tiers_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotion_tiers")),
    )
    with op.batch_alter_table("promotion_tiers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_promotion_tiers_project_campaign", ["project_id", "campaign_id"], unique=False
        )
        batch_op.create_index(
            "ix_promotion_tiers_project_created", ["project_id", "created_at"], unique=False
        )

    with op.batch_alter_table("redemptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("promotion_tier_id", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("redemptions", schema=None) as batch_op:
        batch_op.drop_column("promotion_tier_id")

    with op.batch_alter_table("promotion_tiers", schema=None) as batch_op:
        batch_op.drop_index("ix_promotion_tiers_project_created")
        batch_op.drop_index("ix_promotion_tiers_project_campaign")

    op.drop_table("promotion_tiers")
    with op.batch_alter_table("promotion_stacks", schema=None) as batch_op:
        batch_op.drop_index("ix_promotion_stacks_project_campaign")

    op.drop_table("promotion_stacks")
