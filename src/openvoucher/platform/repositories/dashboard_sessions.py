"""Dashboard sessions, looked up by the SHA-256 digest of the session id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from openvoucher.adapters.db.schema.auth import dashboard_sessions

S = dashboard_sessions.c


def insert_session(conn: Connection, row: dict[str, Any]) -> None:
    """Store a new session."""
    conn.execute(insert(dashboard_sessions).values(**row))


def live_session(conn: Connection, token_hash: str, now: datetime) -> dict[str, Any] | None:
    """The unexpired session with this digest, or None."""
    query = select(dashboard_sessions).where(S.token_hash == token_hash, S.expires_at > now)
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def delete_session(conn: Connection, token_hash: str) -> None:
    """Forget one session (sign-out)."""
    conn.execute(delete(dashboard_sessions).where(S.token_hash == token_hash))


def purge_expired(conn: Connection, now: datetime) -> None:
    """Forget every session that has expired."""
    conn.execute(delete(dashboard_sessions).where(S.expires_at <= now))
