"""Pending loyalty points: entries waiting for activation.

Revision ID: 0007_pending_points
Revises: 0006_exports
Create Date: 2026-12-06 16:39:00.207038
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import openvoucher.adapters.db.types

revision = "0007_pending_points"
down_revision = "0006_exports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loyalty_pending_points",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("voucher_id", sa.String(length=40), nullable=False),
        sa.Column("campaign_id", sa.String(length=40), nullable=True),
        sa.Column("customer_id", sa.String(length=40), nullable=True),
        sa.Column("order_id", sa.String(length=40), nullable=True),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column(
            "activates_at", openvoucher.adapters.db.types.UTCDateTime(timezone=True), nullable=False
        ),
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
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_loyalty_pending_points_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_loyalty_pending_points")),
        sa.UniqueConstraint("id", name=op.f("uq_loyalty_pending_points_id")),
    )
    with op.batch_alter_table("loyalty_pending_points", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pending_points_campaign",
            ["project_id", "campaign_id", "status", "seq"],
            unique=False,
        )
        batch_op.create_index("ix_pending_points_due", ["status", "activates_at"], unique=False)
        batch_op.create_index(
            "ix_pending_points_voucher", ["project_id", "voucher_id", "status", "seq"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("loyalty_pending_points", schema=None) as batch_op:
        batch_op.drop_index("ix_pending_points_voucher")
        batch_op.drop_index("ix_pending_points_due")
        batch_op.drop_index("ix_pending_points_campaign")

    op.drop_table("loyalty_pending_points")
