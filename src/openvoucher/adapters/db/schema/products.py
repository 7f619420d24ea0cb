"""Products, their SKUs (variants) and product collections.

``source_id`` is unique per project for products and, separately, for SKUs (Voucherify's SKU
``source_id`` is unique across the whole catalog). Attributes, metadata and the image URL are
not queried and live in ``attrs``.

A product collection is STATIC (its members listed in ``product_collection_items``, in the
order given; a member goes when its product or SKU is deleted) or AUTO_UPDATE (its ``filter``
over product fields, in ``attrs``, says which products belong).
"""

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

products = Table(
    "products",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("source_id", String(300)),
    Column("name", String(300)),
    Column("price", BigInteger),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("project_id", "source_id"),
    Index("ix_products_project_created", "project_id", "created_at"),
)

skus = Table(
    "skus",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("product_id", String(40), ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("source_id", String(300)),
    Column("sku", String(300)),
    Column("price", BigInteger),
    Column("currency", String(10)),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("project_id", "source_id"),
    Index("ix_skus_product_created", "product_id", "created_at"),
)

product_collections = Table(
    "product_collections",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("name", String(300)),
    Column("type", String(20), nullable=False),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_product_collections_project_created", "project_id", "created_at"),
)

product_collection_items = Table(
    "product_collection_items",
    metadata,
    Column(
        "collection_id",
        String(40),
        ForeignKey("product_collections.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("position", Integer, primary_key=True),
    project_column(),
    Column("object", String(10), nullable=False),
    Column("product_id", String(40), ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("sku_id", String(40), ForeignKey("skus.id", ondelete="CASCADE")),
    Index("ix_product_collection_items_product", "product_id"),
    Index("ix_product_collection_items_sku", "sku_id"),
)
