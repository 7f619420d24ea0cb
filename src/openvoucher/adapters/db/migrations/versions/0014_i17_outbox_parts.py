"""The compact outbox (ADR 0075): ``outbox_parts`` and ``outbox_events.parts``.

Revision ID: 0014_i17_outbox_parts
Revises: 0013_locations
Create Date: 2026-12-07 19:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from openvoucher.adapters.db.schema.outbox import NullableJSON
from openvoucher.adapters.db.types import JSONType

revision = "0014_i17_outbox_parts"
down_revision = "0013_locations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_parts",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=True),
        sa.Column("body", JSONType, nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_outbox_parts_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_parts")),
    )
    with op.batch_alter_table("outbox_parts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_parts_customer", ["project_id", "customer_id"], unique=False
        )
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parts", NullableJSON, nullable=True))


def downgrade() -> None:
    """Put the parts back into the events' data, then drop them."""
    events = sa.table(
        "outbox_events", sa.column("seq"), sa.column("data", JSONType), sa.column("parts", JSONType)
    )
    parts = sa.table("outbox_parts", sa.column("id"), sa.column("body", JSONType))
    conn = op.get_bind()
    bodies = {row.id: row.body for row in conn.execute(sa.select(parts.c.id, parts.c.body))}
    query = sa.select(events.c.seq, events.c.data, events.c.parts).where(
        events.c.parts.is_not(None)
    )
    for row in conn.execute(query).all():
        data = dict(row.data)
        for key, ident in (row.parts or {}).items():
            data[key] = bodies[ident]
        conn.execute(sa.update(events).where(events.c.seq == row.seq).values(data=data))
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.drop_column("parts")
    with op.batch_alter_table("outbox_parts", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_parts_customer")
    op.drop_table("outbox_parts")
