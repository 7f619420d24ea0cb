"""The bin: resources deleted without ``force``, kept as a snapshot until removed for good."""

from sqlalchemy import Column, ForeignKey, Index, String, Table

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

trash_bin_entries = Table(
    "trash_bin_entries",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    # campaign | voucher | product | sku
    Column("resource_type", String(10), nullable=False),
    Column("resource_id", String(40), nullable=False),
    # the campaign, product or SKU name, or the voucher code
    Column("resource_name", String(300)),
    Column("resource_parent_id", String(40)),
    Column("deleted_by_user_id", String(40)),
    # the resource as it was rendered when it was binned
    Column("snapshot", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # A binned campaign's name stays taken: creation looks it up here.
    Index("ix_trash_bin_entries_name", "project_id", "resource_type", "resource_name"),
)

# What binned resources keep taken until their entry is deleted: voucher codes (of a binned
# voucher, or of every voucher of a binned campaign) and product/SKU source ids. ``entry_id`` may
# name an entry not stored yet (a campaign's deletion job holds the codes in its first batch and
# stores the entry in its last).
trash_bin_keys = Table(
    "trash_bin_keys",
    metadata,
    Column(
        "project_id",
        String(40),
        ForeignKey("projects.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("entry_id", String(40), primary_key=True),
    # voucher (a code) | product | sku (a source_id)
    Column("kind", String(10), primary_key=True),
    Column("value", String(300), primary_key=True),
    Index("ix_trash_bin_keys_value", "project_id", "kind", "value"),
)

__all__ = ["trash_bin_entries", "trash_bin_keys"]
