"""Validation rules and their assignments to vouchers and campaigns.

Revision ID: 0005_validation_rules
Revises: 0004_promotions
Create Date: 2026-12-06 16:20:52.586179
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import openvoucher.adapters.db.types

revision = "0005_validation_rules"
down_revision = "0004_promotions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "validation_rules",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
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
            name=op.f("fk_validation_rules_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_validation_rules")),
    )
    with op.batch_alter_table("validation_rules", schema=None) as batch_op:
        batch_op.create_index(
            "ix_validation_rules_project_created", ["project_id", "created_at"], unique=False
        )

    op.create_table(
        "validation_rule_assignments",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("related_object_type", sa.String(length=30), nullable=False),
        sa.Column("related_object_id", sa.String(length=40), nullable=False),
        sa.Column(
            "created_at", openvoucher.adapters.db.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_validation_rule_assignments_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["validation_rules.id"],
            name=op.f("fk_validation_rule_assignments_rule_id_validation_rules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_validation_rule_assignments")),
        sa.UniqueConstraint(
            "project_id",
            "rule_id",
            "related_object_type",
            "related_object_id",
            name=op.f(
                "uq_validation_rule_assignments_project_id_rule_id_related_object_type_related_object_id"
            ),
        ),
    )
    with op.batch_alter_table("validation_rule_assignments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_validation_rule_assignments_related",
            ["project_id", "related_object_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_validation_rule_assignments_rule",
            ["project_id", "rule_id", "created_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("validation_rule_assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_validation_rule_assignments_rule")
        batch_op.drop_index("ix_validation_rule_assignments_related")

    op.drop_table("validation_rule_assignments")
    with op.batch_alter_table("validation_rules", schema=None) as batch_op:
        batch_op.drop_index("ix_validation_rules_project_created")

    op.drop_table("validation_rules")
