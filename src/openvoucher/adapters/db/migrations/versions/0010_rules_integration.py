"""Redemptions indexed by promotion tier and by campaign (validation rules tally them).

Revision ID: 0010_rules_integration
Revises: 0009_segments
Create Date: 2026-12-06 17:05:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0010_rules_integration"
down_revision = "0009_segments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_redemptions_project_tier",
        "redemptions",
        ["project_id", "promotion_tier_id", "seq"],
        unique=False,
    )
    op.create_index(
        "ix_redemptions_project_campaign",
        "redemptions",
        ["project_id", "campaign_id", "seq"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_redemptions_project_campaign", table_name="redemptions")
    op.drop_index("ix_redemptions_project_tier", table_name="redemptions")
