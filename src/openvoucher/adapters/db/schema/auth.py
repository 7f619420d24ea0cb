"""OAuth 2.0 access tokens issued for an API key (client credentials grant).

Only a SHA-256 digest of each token is stored. A token dies with the key that issued it
(``ON DELETE CASCADE``), when it expires, or when it is revoked.
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
