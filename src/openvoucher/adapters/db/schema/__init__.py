"""All tables share one MetaData; each module owns the tables of one area."""

from openvoucher.adapters.db.schema import (
    auth,
    catalog,
    core,
    dev,
    exports,
    imports,
    ledger,
    loyalty,
    outbox,
    pending_points,
    products,
    project_settings,
    redemptions,
    rewards,
    sales,
    webhooks,
)
from openvoucher.adapters.db.schema.base import metadata

__all__ = [
    "auth",
    "catalog",
    "core",
    "dev",
    "exports",
    "imports",
    "ledger",
    "loyalty",
    "metadata",
    "outbox",
    "pending_points",
    "products",
    "project_settings",
    "redemptions",
    "rewards",
    "sales",
    "webhooks",
]
