"""Loyalty v2: components, programmes, members and their cards (issue 18).

Revision ID: 0015_loyalty_v2_i18
Revises: 0014_i17_outbox_parts
Create Date: 2026-12-07 19:02:32.039112
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from openvoucher.adapters.db.types import JSONType, UTCDateTime

revision = "0015_loyalty_v2_i18"
down_revision = "0014_i17_outbox_parts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loyalty_v2_activities",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=80), nullable=False),
        sa.Column("attrs", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_loyalty_v2_activities_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_loyalty_v2_activities")),
        sa.UniqueConstraint("id", name=op.f("uq_loyalty_v2_activities_id")),
    )
    with op.batch_alter_table("loyalty_v2_activities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_loyalty_v2_activities_subject", ["project_id", "subject_id", "seq"], unique=False
        )

    op.create_table(
        "loyalty_v2_assignments",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("program_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("component_id", sa.String(length=40), nullable=False),
        sa.Column("attrs", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_loyalty_v2_assignments_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_loyalty_v2_assignments")),
        sa.UniqueConstraint(
            "project_id", "program_id", "component_id", name="uq_loyalty_v2_assignment"
        ),
    )
    with op.batch_alter_table("loyalty_v2_assignments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_loyalty_v2_assignments_component", ["project_id", "component_id"], unique=False
        )

    op.create_table(
        "loyalty_v2_cards",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("member_id", sa.String(length=40), nullable=False),
        sa.Column("program_id", sa.String(length=40), nullable=False),
        sa.Column("card_definition_id", sa.String(length=40), nullable=False),
        sa.Column("voucher_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_loyalty_v2_cards_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_loyalty_v2_cards")),
        sa.UniqueConstraint("id", name=op.f("uq_loyalty_v2_cards_id")),
        sa.UniqueConstraint("voucher_id", name=op.f("uq_loyalty_v2_cards_voucher_id")),
    )
    with op.batch_alter_table("loyalty_v2_cards", schema=None) as batch_op:
        batch_op.create_index(
            "ix_loyalty_v2_cards_member", ["project_id", "member_id", "seq"], unique=False
        )

    op.create_table(
        "loyalty_v2_members",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("program_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attrs", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_loyalty_v2_members_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_loyalty_v2_members")),
        sa.UniqueConstraint("id", name=op.f("uq_loyalty_v2_members_id")),
        sa.UniqueConstraint("project_id", "program_id", "customer_id", name="uq_loyalty_v2_member"),
    )
    with op.batch_alter_table("loyalty_v2_members", schema=None) as batch_op:
        batch_op.create_index(
            "ix_loyalty_v2_members_customer", ["project_id", "customer_id"], unique=False
        )

    op.create_table(
        "loyalty_v2_objects",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("attrs", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_loyalty_v2_objects_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_loyalty_v2_objects")),
        sa.UniqueConstraint("id", name=op.f("uq_loyalty_v2_objects_id")),
    )
    with op.batch_alter_table("loyalty_v2_objects", schema=None) as batch_op:
        batch_op.create_index(
            "ix_loyalty_v2_objects_kind", ["project_id", "kind", "seq"], unique=False
        )
        batch_op.create_index(
            "ix_loyalty_v2_objects_parent", ["project_id", "parent_id"], unique=False
        )
    op.create_table(
        "loyalty_v2_transactions",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("member_id", sa.String(length=40), nullable=False),
        sa.Column("card_id", sa.String(length=40), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=True),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("attrs", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_loyalty_v2_transactions_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_loyalty_v2_transactions")),
        sa.UniqueConstraint("id", name=op.f("uq_loyalty_v2_transactions_id")),
    )
    with op.batch_alter_table("loyalty_v2_transactions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_loyalty_v2_transactions_member",
            ["project_id", "member_id", "kind", "seq"],
            unique=False,
        )
        batch_op.create_index(
            "ix_loyalty_v2_transactions_order", ["project_id", "order_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("loyalty_v2_transactions", schema=None) as batch_op:
        batch_op.drop_index("ix_loyalty_v2_transactions_order")
        batch_op.drop_index("ix_loyalty_v2_transactions_member")

    op.drop_table("loyalty_v2_transactions")
    with op.batch_alter_table("loyalty_v2_objects", schema=None) as batch_op:
        batch_op.drop_index("ix_loyalty_v2_objects_parent")
        batch_op.drop_index("ix_loyalty_v2_objects_kind")

    op.drop_table("loyalty_v2_objects")
    with op.batch_alter_table("loyalty_v2_members", schema=None) as batch_op:
        batch_op.drop_index("ix_loyalty_v2_members_customer")

    op.drop_table("loyalty_v2_members")
    with op.batch_alter_table("loyalty_v2_cards", schema=None) as batch_op:
        batch_op.drop_index("ix_loyalty_v2_cards_member")

    op.drop_table("loyalty_v2_cards")
    with op.batch_alter_table("loyalty_v2_assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_loyalty_v2_assignments_component")

    op.drop_table("loyalty_v2_assignments")
    with op.batch_alter_table("loyalty_v2_activities", schema=None) as batch_op:
        batch_op.drop_index("ix_loyalty_v2_activities_subject")

    op.drop_table("loyalty_v2_activities")
