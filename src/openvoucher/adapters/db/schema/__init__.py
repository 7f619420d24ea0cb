"""All tables share one MetaData; each module owns the tables of one area."""

from openvoucher.adapters.db.schema import (
    catalog,
    core,
    exports,
    ledger,
    loyalty,
    outbox,
    redemptions,
    sales,
    webhooks,
)
from openvoucher.adapters.db.schema.base import metadata

__all__ = [
    "catalog",
    "core",
    "exports",
    "ledger",
    "loyalty",
    "metadata",
    "outbox",
    "redemptions",
    "sales",
    "webhooks",
]
