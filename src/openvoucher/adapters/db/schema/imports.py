"""Staged rows of bulk imports: an upload is stored in parts in the transaction that queues
its async action, and the action imports part by part (so it survives a restart)."""

from sqlalchemy import Column, ForeignKey, Integer, String, Table

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType

import_parts = Table(
    "import_parts",
    metadata,
    Column(
        "action_id",
        String(40),
        ForeignKey("async_actions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("part", Integer, primary_key=True),
    project_column(),
    # Number of the first row of the part in the upload (1 = first data row).
    Column("first_row", Integer, nullable=False),
    # A JSON list: CSV rows (lists of cells) or JSON import items (objects).
    Column("rows", JSONType, nullable=False),
)
