"""Append-only balance ledgers (gift credits and loyalty points) and idempotency records."""

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
)

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

voucher_transactions = Table(
    "voucher_transactions",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("id", String(40), nullable=False, unique=True),
    project_column(),
    Column("voucher_id", String(40), nullable=False),
    Column("campaign_id", String(40)),
    # "gift" or "loyalty"
    Column("kind", String(10), nullable=False),
    Column("type", String(40), nullable=False),
    # Signed change of the balance: positive adds, negative takes away.
    Column("amount", BigInteger, nullable=False),
    Column("balance_after", BigInteger, nullable=False),
    Column("source_id", String(300)),
    Column("source", String(100)),
    Column("reason", String(1000)),
    Column("related_transaction_id", String(40)),
    Column("details", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_voucher_transactions_voucher", "project_id", "voucher_id", "seq"),
    Index("ix_voucher_transactions_campaign", "project_id", "campaign_id", "seq"),
    # The overview's loyalty points per week: the last 12 weeks only (docs/adr/0074).
    Index("ix_voucher_transactions_project_kind_created", "project_id", "kind", "created_at"),
)

idempotency_records = Table(
    "idempotency_records",
    metadata,
    project_column(),
    Column("key", String(255), nullable=False),
    Column("endpoint", String(200), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("status", SmallInteger),
    Column("response", JSONType),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("project_id", "key"),
)
