"""The bin: resources deleted without ``force``.

Revision ID: 0012_trash_bin
Revises: 0011_referrals
Create Date: 2026-12-06 17:21:06.442953
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from openvoucher.adapters.db.types import JSONType, UTCDateTime

revision = "0012_trash_bin"
down_revision = "0011_referrals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trash_bin_entries",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("resource_type", sa.String(length=10), nullable=False),
        sa.Column("resource_id", sa.String(length=40), nullable=False),
        sa.Column("resource_name", sa.String(length=300), nullable=True),
        sa.Column("resource_parent_id", sa.String(length=40), nullable=True),
        sa.Column("deleted_by_user_id", sa.String(length=40), nullable=True),
        sa.Column("snapshot", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_trash_bin_entries_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trash_bin_entries")),
    )
    with op.batch_alter_table("trash_bin_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_trash_bin_entries_name",
            ["project_id", "resource_type", "resource_name"],
            unique=False,
        )

    op.create_table(
        "trash_bin_keys",
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("entry_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_trash_bin_keys_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "project_id", "entry_id", "kind", "value", name=op.f("pk_trash_bin_keys")
        ),
    )
    with op.batch_alter_table("trash_bin_keys", schema=None) as batch_op:
        batch_op.create_index(
            "ix_trash_bin_keys_value", ["project_id", "kind", "value"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("trash_bin_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_trash_bin_keys_value")

    op.drop_table("trash_bin_keys")
    with op.batch_alter_table("trash_bin_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_trash_bin_entries_name")

    op.drop_table("trash_bin_entries")
