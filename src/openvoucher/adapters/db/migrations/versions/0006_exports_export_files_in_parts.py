"""Export files are stored in parts (written a page at a time); every export object.

The file of an existing export moves from ``exports.content`` into one part; the voucher an
existing transactions export is about moves from its shown ``filters`` to ``scope``.

Revision ID: 0006_exports
Revises: 0005_validation_rules
Create Date: 2026-12-06 16:16:03.792533
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from openvoucher.adapters.db.types import JSONType

revision = "0006_exports"
down_revision = "0005_validation_rules"
branch_labels = None
depends_on = None

EXPORTS = sa.table(
    "exports",
    sa.column("id", sa.String),
    sa.column("project_id", sa.String),
    sa.column("parameters", JSONType),
    sa.column("content", sa.Text),
)
MOVING = "export_parts_moving"


def upgrade() -> None:
    # The files are staged outside ``exports``: SQLite rebuilds the table to drop the column,
    # and dropping the old table would cascade to rows referring to it.
    op.create_table(
        MOVING,
        sa.Column("export_id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
    )
    op.execute(
        f"INSERT INTO {MOVING} (export_id, project_id, content) "
        "SELECT id, project_id, content FROM exports WHERE content IS NOT NULL"
    )
    _scope_existing(op.get_bind())
    with op.batch_alter_table("exports", schema=None) as batch_op:
        batch_op.drop_column("content")
    op.create_table(
        "export_parts",
        sa.Column("export_id", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["export_id"],
            ["exports.id"],
            name=op.f("fk_export_parts_export_id_exports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_export_parts_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("export_id", "seq", name=op.f("pk_export_parts")),
    )
    op.execute(
        "INSERT INTO export_parts (export_id, seq, project_id, content) "
        f"SELECT export_id, 0, project_id, content FROM {MOVING}"
    )
    op.drop_table(MOVING)


def _scope_existing(conn: sa.Connection) -> None:
    query = sa.select(EXPORTS.c.id, EXPORTS.c.parameters)
    for row in conn.execute(query).mappings().all():
        parameters = _scoped(dict(row["parameters"] or {}))
        conn.execute(
            sa.update(EXPORTS).where(EXPORTS.c.id == row["id"]).values(parameters=parameters)
        )


def _scoped(parameters: dict[str, Any]) -> dict[str, Any]:
    voucher = (parameters.get("filters") or {}).get("voucher_id") or {}
    ids = (voucher.get("conditions") or {}).get("$in") or []
    if ids:
        parameters["scope"] = {"voucher_id": ids[0]}
        parameters["filters"] = {}
    return parameters


def downgrade() -> None:
    with op.batch_alter_table("exports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.TEXT(), nullable=True))
    op.drop_table("export_parts")
