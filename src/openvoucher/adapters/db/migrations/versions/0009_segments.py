"""Customer segments and the members of static ones.

Revision ID: 0009_segments
Revises: 0008_management_extras
Create Date: 2026-12-06 16:54:19.207693
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import openvoucher.adapters.db.types

revision = "0009_segments"
down_revision = "0008_management_extras"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "segments",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column(
            "attrs",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "created_at", openvoucher.adapters.db.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_segments_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segments")),
    )
    with op.batch_alter_table("segments", schema=None) as batch_op:
        batch_op.create_index("ix_segments_project_type", ["project_id", "type"], unique=False)

    op.create_table(
        "segment_customers",
        sa.Column("segment_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_segment_customers_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_segment_customers_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["segments.id"],
            name=op.f("fk_segment_customers_segment_id_segments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("segment_id", "customer_id", name=op.f("pk_segment_customers")),
    )
    with op.batch_alter_table("segment_customers", schema=None) as batch_op:
        batch_op.create_index("ix_segment_customers_customer", ["customer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("segment_customers", schema=None) as batch_op:
        batch_op.drop_index("ix_segment_customers_customer")

    op.drop_table("segment_customers")
    with op.batch_alter_table("segments", schema=None) as batch_op:
        batch_op.drop_index("ix_segments_project_type")

    op.drop_table("segments")
