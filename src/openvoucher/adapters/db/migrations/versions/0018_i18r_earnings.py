"""Loyalty v2 earnings and benefit transactions: what each v2 earning rule gave when it
fired (the reports read it), and each benefit grant (ADR 0083).

Revision ID: 0018_i18r_earnings
Revises: 0017_i16_dashboard_indexes
Create Date: 2026-12-07 22:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from openvoucher.adapters.db.types import JSONType, UTCDateTime

revision = "0018_i18r_earnings"
down_revision = "0017_i16_dashboard_indexes"
branch_labels = None
depends_on = None


def _seq() -> sa.Column[int]:
    return sa.Column(
        "seq",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        autoincrement=True,
        nullable=False,
    )


def _project(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["project_id"],
        ["projects.id"],
        name=op.f(f"fk_{table}_project_id_projects"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "loyalty_v2_earnings",
        _seq(),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("program_id", sa.String(length=40), nullable=False),
        sa.Column("member_id", sa.String(length=40), nullable=False),
        sa.Column("earning_rule_id", sa.String(length=40), nullable=False),
        sa.Column("earning_item_id", sa.String(length=40), nullable=True),
        sa.Column("fire_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("card_definition_id", sa.String(length=40), nullable=True),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("reference_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        _project("loyalty_v2_earnings"),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_loyalty_v2_earnings")),
    )
    with op.batch_alter_table("loyalty_v2_earnings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_loyalty_v2_earnings_program",
            ["project_id", "program_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_loyalty_v2_earnings_member",
            ["project_id", "member_id", "earning_rule_id"],
            unique=False,
        )
    op.create_table(
        "loyalty_v2_benefit_transactions",
        _seq(),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("program_id", sa.String(length=40), nullable=False),
        sa.Column("member_id", sa.String(length=40), nullable=False),
        sa.Column("benefit_id", sa.String(length=40), nullable=False),
        sa.Column("earning_rule_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attrs", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        _project("loyalty_v2_benefit_transactions"),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_loyalty_v2_benefit_transactions")),
        sa.UniqueConstraint("id", name=op.f("uq_loyalty_v2_benefit_transactions_id")),
    )
    with op.batch_alter_table("loyalty_v2_benefit_transactions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_loyalty_v2_benefit_transactions_member",
            ["project_id", "member_id", "seq"],
            unique=False,
        )
        batch_op.create_index(
            "ix_loyalty_v2_benefit_transactions_benefit",
            ["project_id", "benefit_id", "status"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("loyalty_v2_benefit_transactions", schema=None) as batch_op:
        batch_op.drop_index("ix_loyalty_v2_benefit_transactions_benefit")
        batch_op.drop_index("ix_loyalty_v2_benefit_transactions_member")
    op.drop_table("loyalty_v2_benefit_transactions")
    with op.batch_alter_table("loyalty_v2_earnings", schema=None) as batch_op:
        batch_op.drop_index("ix_loyalty_v2_earnings_member")
        batch_op.drop_index("ix_loyalty_v2_earnings_program")
    op.drop_table("loyalty_v2_earnings")
