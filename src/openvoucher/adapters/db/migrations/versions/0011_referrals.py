"""Referral programs: the holders of referral codes and the referrals counted.

Revision ID: 0011_referrals
Revises: 0010_rules_integration
Create Date: 2026-12-06 16:59:50.949871
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from openvoucher.adapters.db.types import JSONType, UTCDateTime

revision = "0011_referrals"
down_revision = "0010_rules_integration"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("campaign_id", sa.String(length=40), nullable=False),
        sa.Column("voucher_id", sa.String(length=40), nullable=False),
        sa.Column("referrer_id", sa.String(length=40), nullable=False),
        sa.Column("referee_id", sa.String(length=40), nullable=False),
        sa.Column("related_object_type", sa.String(length=20), nullable=False),
        sa.Column("related_object_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_referrals_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
        sa.UniqueConstraint(
            "project_id",
            "campaign_id",
            "referrer_id",
            "referee_id",
            name=op.f("uq_referrals_project_id_campaign_id_referrer_id_referee_id"),
        ),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index("ix_referrals_referee", ["project_id", "referee_id"], unique=False)

    op.create_table(
        "redeemable_holders",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("voucher_id", sa.String(length=40), nullable=False),
        sa.Column("campaign_id", sa.String(length=40), nullable=True),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("holder_role", sa.String(length=10), nullable=False),
        sa.Column("publication_id", sa.String(length=40), nullable=True),
        sa.Column("attrs", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_redeemable_holders_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_redeemable_holders_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["voucher_id"],
            ["vouchers.id"],
            name=op.f("fk_redeemable_holders_voucher_id_vouchers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redeemable_holders")),
        sa.UniqueConstraint(
            "project_id",
            "voucher_id",
            "customer_id",
            name=op.f("uq_redeemable_holders_project_id_voucher_id_customer_id"),
        ),
    )
    with op.batch_alter_table("redeemable_holders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_redeemable_holders_customer", ["project_id", "customer_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("redeemable_holders", schema=None) as batch_op:
        batch_op.drop_index("ix_redeemable_holders_customer")

    op.drop_table("redeemable_holders")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_referrals_referee")

    op.drop_table("referrals")
