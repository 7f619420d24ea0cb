"""Customers, categories, campaigns, vouchers, publications and async actions.

Columns hold what is queried, filtered, counted or locked; the rest of a resource's
Voucherify shape lives in the ``attrs`` JSON column.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    func,
)

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.types import JSONType, UTCDateTime


def project_column() -> Column[str]:
    """The owning project: every row belongs to exactly one."""
    return Column(
        "project_id", String(40), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False
    )


customers = Table(
    "customers",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("source_id", String(300)),
    Column("name", String(300)),
    Column("email", String(300)),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("project_id", "source_id"),
    Index("ix_customers_project_created", "project_id", "created_at"),
    Index("ix_customers_project_email", "project_id", "email"),
)
# The dashboard's customer search: a prefix of the name, email or source id in any case is a
# range on one of these (docs/adr/0073-dashboard-keyset-pages-and-indexed-search.md).
for _field in ("name", "email", "source_id"):
    Index(
        f"ix_customers_project_lower_{_field}",
        customers.c.project_id,
        func.lower(customers.c[_field]),
    )

categories = Table(
    "categories",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("name", String(200), nullable=False),
    Column("hierarchy", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("project_id", "name"),
)

campaigns = Table(
    "campaigns",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("name", String(300), nullable=False),
    Column("campaign_type", String(40), nullable=False),
    Column("type", String(20), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("category_id", String(40), ForeignKey("categories.id", ondelete="SET NULL")),
    Column("vouchers_count", Integer, nullable=False, default=0),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("project_id", "name"),
    Index("ix_campaigns_project_created", "project_id", "created_at"),
)

vouchers = Table(
    "vouchers",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("code", String(300), nullable=False),
    Column("campaign_id", String(40), ForeignKey("campaigns.id", ondelete="CASCADE")),
    Column("category_id", String(40), ForeignKey("categories.id", ondelete="SET NULL")),
    Column("type", String(20), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("holder_id", String(40), ForeignKey("customers.id", ondelete="SET NULL")),
    Column("start_date", UTCDateTime),
    Column("expiration_date", UTCDateTime),
    Column("redemption_quantity", Integer),
    Column("redeemed_quantity", Integer, nullable=False, default=0),
    Column("publish_count", Integer, nullable=False, default=0),
    # Cached balances; the ledgers (later issues) are the truth.
    Column("gift_amount", BigInteger),
    Column("gift_balance", BigInteger),
    Column("loyalty_points", BigInteger),
    Column("loyalty_balance", BigInteger),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("project_id", "code"),
    # A campaign's codes in code order: the campaign page's keyset pages and their counts are
    # ranges on it (it replaced (project_id, campaign_id): docs/adr/0073).
    Index("ix_vouchers_project_campaign_code", "project_id", "campaign_id", "code"),
    Index("ix_vouchers_project_holder", "project_id", "holder_id"),
    Index("ix_vouchers_project_created", "project_id", "created_at"),
    # Covers the overview's gift credits outstanding (sum of balances of active gift cards per
    # campaign): read from the index alone, in group order (docs/adr/0074).
    Index(
        "ix_vouchers_project_gift_sum",
        "project_id",
        "type",
        "active",
        "campaign_id",
        "gift_balance",
    ),
)

publications = Table(
    "publications",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("voucher_id", String(40), ForeignKey("vouchers.id", ondelete="CASCADE")),
    Column("customer_id", String(40), ForeignKey("customers.id", ondelete="SET NULL")),
    Column("campaign_id", String(40)),
    Column("source_id", String(300)),
    Column("channel", String(100)),
    Column("result", String(20), nullable=False),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_publications_project_created", "project_id", "created_at"),
    Index("ix_publications_project_customer", "project_id", "customer_id"),
    # A publication's source_id makes publishing idempotent: one publication per source_id.
    Index("ix_publications_project_source", "project_id", "source_id", unique=True),
)

# The vouchers of a publication (one, or ``count`` of a campaign), in the order published.
publication_vouchers = Table(
    "publication_vouchers",
    metadata,
    project_column(),
    Column(
        "publication_id",
        String(40),
        ForeignKey("publications.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("position", Integer, primary_key=True),
    Column("voucher_id", String(40), ForeignKey("vouchers.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(300), nullable=False),
    Index("ix_publication_vouchers_project_code", "project_id", "code"),
    Index("ix_publication_vouchers_voucher", "voucher_id"),
)

async_actions = Table(
    "async_actions",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("type", String(80), nullable=False),
    Column("status", String(20), nullable=False),
    Column("operation_status", String(20)),
    Column("progress", Integer, nullable=False, default=0),
    Column("request", JSONType, nullable=False),
    Column("result", JSONType),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Column("processing_time", BigInteger),
    # Lease of the runner working on it: an expired lease means the runner died; resume.
    Column("locked_until", UTCDateTime),
    Index("ix_async_actions_project_created", "project_id", "created_at"),
    Index("ix_async_actions_status", "status"),
)

__all__ = [
    "async_actions",
    "campaigns",
    "categories",
    "customers",
    "publication_vouchers",
    "publications",
    "vouchers",
]
