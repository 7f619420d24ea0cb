"""Dashboard indexes: customer search by prefix in any case, a campaign's codes in code order,
and the overview's aggregates (ADRs 0073 and 0074).

Revision ID: 0017_i16_dashboard_indexes
Revises: 0016_i16_dashboard_sessions
Create Date: 2026-12-07 19:15:17.753300
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_i16_dashboard_indexes"
down_revision = "0016_i16_dashboard_sessions"
branch_labels = None
depends_on = None

SEARCHED = ("name", "email", "source_id")


def upgrade() -> None:
    with op.batch_alter_table("redemptions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_redemptions_project_created", ["project_id", "created_at"], unique=False
        )
    with op.batch_alter_table("voucher_transactions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_voucher_transactions_project_kind_created",
            ["project_id", "kind", "created_at"],
            unique=False,
        )
    with op.batch_alter_table("vouchers", schema=None) as batch_op:
        batch_op.drop_index("ix_vouchers_project_campaign")
        batch_op.create_index(
            "ix_vouchers_project_campaign_code",
            ["project_id", "campaign_id", "code"],
            unique=False,
        )
        batch_op.create_index(
            "ix_vouchers_project_gift_sum",
            ["project_id", "type", "active", "campaign_id", "gift_balance"],
            unique=False,
        )
    for field in SEARCHED:
        op.create_index(
            f"ix_customers_project_lower_{field}",
            "customers",
            ["project_id", sa.text(f"lower({field})")],
            unique=False,
        )


def downgrade() -> None:
    for field in SEARCHED:
        op.drop_index(f"ix_customers_project_lower_{field}", table_name="customers")
    with op.batch_alter_table("vouchers", schema=None) as batch_op:
        batch_op.drop_index("ix_vouchers_project_gift_sum")
        batch_op.drop_index("ix_vouchers_project_campaign_code")
        batch_op.create_index(
            "ix_vouchers_project_campaign", ["project_id", "campaign_id"], unique=False
        )
    with op.batch_alter_table("voucher_transactions", schema=None) as batch_op:
        batch_op.drop_index("ix_voucher_transactions_project_kind_created")
    with op.batch_alter_table("redemptions", schema=None) as batch_op:
        batch_op.drop_index("ix_redemptions_project_created")
