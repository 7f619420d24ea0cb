"""Dev features: each project's own clock (time travel per project).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 10:05:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import openvoucher.adapters.db.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dev_project_clocks",
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("offset_us", sa.BigInteger(), nullable=False),
        sa.Column(
            "frozen_at", openvoucher.adapters.db.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "updated_at", openvoucher.adapters.db.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_dev_project_clocks_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_dev_project_clocks")),
    )


def downgrade() -> None:
    op.drop_table("dev_project_clocks")
