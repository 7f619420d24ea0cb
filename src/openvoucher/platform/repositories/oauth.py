"""OAuth access tokens, looked up by the SHA-256 digest of the token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from openvoucher.adapters.db.schema.auth import oauth_tokens
from openvoucher.adapters.db.schema.core import api_keys
from openvoucher.platform.model import OAuthToken


def insert_token(conn: Connection, token: OAuthToken) -> None:
    """Store a new token."""
    conn.execute(
        insert(oauth_tokens).values(
            token_hash=token.token_hash,
            project_id=token.project_id,
            key_id=token.key_id,
            client_id=token.client_id,
            scope=token.scope,
            created_at=token.created_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
        )
    )


def get_token(conn: Connection, token_hash: str) -> OAuthToken | None:
    """The token with this digest, with the kind of the key that issued it, or None."""
    query = (
        select(oauth_tokens, api_keys.c.kind.label("key_kind"))
        .join(api_keys, api_keys.c.key_id == oauth_tokens.c.key_id)
        .where(oauth_tokens.c.token_hash == token_hash)
    )
    row = conn.execute(query).mappings().first()
    if row is None:
        return None
    return OAuthToken(
        token_hash=row["token_hash"],
        project_id=row["project_id"],
        key_id=row["key_id"],
        client_id=row["client_id"],
        scope=row["scope"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        revoked_at=row["revoked_at"],
        key_kind=row["key_kind"],
    )


def count_active(conn: Connection, project_id: str, now: datetime) -> int:
    """Unrevoked, unexpired tokens of a project."""
    c = oauth_tokens.c
    query = select(func.count()).where(
        c.project_id == project_id, c.expires_at > now, c.revoked_at.is_(None)
    )
    return int(conn.execute(query).scalar_one())


def revoke(conn: Connection, project_id: str, token_hash: str, now: datetime) -> None:
    """Mark a project's token revoked (no-op when unknown or already revoked)."""
    c = oauth_tokens.c
    conn.execute(
        update(oauth_tokens)
        .where(c.project_id == project_id, c.token_hash == token_hash, c.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def purge_expired(conn: Connection, project_id: str, before: datetime) -> None:
    """Forget a project's tokens that expired before ``before``."""
    conn.execute(
        delete(oauth_tokens).where(
            oauth_tokens.c.project_id == project_id, oauth_tokens.c.expires_at < before
        )
    )
