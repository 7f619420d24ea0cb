"""Dashboard sessions, shared by every API process (docs/adr/0072).

A row is keyed by the SHA-256 digest of the session id the cookie carries (the id itself is
never stored). A session dies at ``expires_at``, when signed out (the row is deleted), and with
the key that opened it (``ON DELETE CASCADE``) or its project.
"""

from sqlalchemy import Column, ForeignKey, Index, String, Table

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.types import UTCDateTime

dashboard_sessions = Table(
    "dashboard_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("kind", String(20), nullable=False),  # "app" | "management"
    Column("key_id", String(80), ForeignKey("api_keys.key_id", ondelete="CASCADE"), nullable=False),
    # The app key's project; NULL for a management session (every project).
    Column("project_id", String(40), ForeignKey("projects.id", ondelete="CASCADE")),
    Column("csrf", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Index("ix_dashboard_sessions_expires", "expires_at"),
    Index("ix_dashboard_sessions_key", "key_id"),
)
