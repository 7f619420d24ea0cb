"""All tables share one MetaData; each module owns the tables of one area."""

from openvoucher.adapters.db.schema import catalog, core, outbox, sales
from openvoucher.adapters.db.schema.base import metadata

__all__ = ["catalog", "core", "metadata", "outbox", "sales"]
