"""Dev features: each project's own clock (time travel), kept across restarts."""

from sqlalchemy import BigInteger, Column, ForeignKey, String, Table

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.types import UTCDateTime

# One row per project whose time is its own; a project without a row follows the base clock.
dev_project_clocks = Table(
    "dev_project_clocks",
    metadata,
    Column(
        "project_id",
        String(40),
        ForeignKey("projects.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("offset_us", BigInteger, nullable=False),  # running: base time + offset
    Column("frozen_at", UTCDateTime),  # frozen: the instant it stands at
    Column("updated_at", UTCDateTime, nullable=False),
)
