"""Products and their SKUs (variants).

``source_id`` is unique per project for products and, separately, for SKUs (Voucherify's SKU
``source_id`` is unique across the whole catalog). Attributes, metadata and the image URL are
not queried and live in ``attrs``.
"""

from sqlalchemy import BigInteger, Column, ForeignKey, Index, String, Table, UniqueConstraint

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
