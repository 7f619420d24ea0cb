"""Credentials derived from an API key: OAuth 2.0 access tokens and dashboard sessions.

Only a SHA-256 digest of each token or session id is stored. Both die with the key that issued
them (``ON DELETE CASCADE``) and when they expire; a token when it is revoked, a session when
signed out (its row is deleted). Dashboard sessions are shared by every API process
(docs/adr/0072); an app-key session carries its project, a management session none.
"""

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import UTCDateTime

oauth_tokens = Table(
    "oauth_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    project_column(),
    Column("key_id", String(80), ForeignKey("api_keys.key_id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(40), nullable=False),
    Column("scope", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    Index("ix_oauth_tokens_project_expires", "project_id", "expires_at"),
)

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
