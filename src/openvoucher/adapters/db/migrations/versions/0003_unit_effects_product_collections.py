"""Product collections: STATIC members and AUTO_UPDATE filters.

Revision ID: 0003_unit_effects
Revises: 0002
Create Date: 2026-12-06 16:17:45.707459
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import openvoucher.adapters.db.types

revision = "0003_unit_effects"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "product_collections",
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
            name=op.f("fk_product_collections_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_collections")),
    )
    with op.batch_alter_table("product_collections", schema=None) as batch_op:
        batch_op.create_index(
            "ix_product_collections_project_created", ["project_id", "created_at"], unique=False
        )

    op.create_table(
        "product_collection_items",
        sa.Column("collection_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.String(length=40), nullable=False),
        sa.Column("object", sa.String(length=10), nullable=False),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.Column("sku_id", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["product_collections.id"],
            name=op.f("fk_product_collection_items_collection_id_product_collections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_collection_items_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_product_collection_items_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["skus.id"],
            name=op.f("fk_product_collection_items_sku_id_skus"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "collection_id", "position", name=op.f("pk_product_collection_items")
        ),
    )
    with op.batch_alter_table("product_collection_items", schema=None) as batch_op:
        batch_op.create_index("ix_product_collection_items_product", ["product_id"], unique=False)
        batch_op.create_index("ix_product_collection_items_sku", ["sku_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("product_collection_items", schema=None) as batch_op:
        batch_op.drop_index("ix_product_collection_items_sku")
        batch_op.drop_index("ix_product_collection_items_product")

    op.drop_table("product_collection_items")
    with op.batch_alter_table("product_collections", schema=None) as batch_op:
        batch_op.drop_index("ix_product_collections_project_created")

    op.drop_table("product_collections")
