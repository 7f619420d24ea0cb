"""Dashboard sessions kept in the database, so every API process of ``serve --workers N``
finds them (docs/adr/0072-dashboard-sessions-in-the-database.md). Only the SHA-256 digest of a
session id is stored; times are wall-clock instants passed in by the caller (a browser cookie
expires in real time, whatever a project's dev clock says)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.platform.projects import MANAGEMENT_SCOPE
from openvoucher.platform.repositories import dashboard_sessions as repo


def digest(session_id: str) -> str:
    """The stored form of a session id."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(uow: UnitOfWork, session_id: str, fields: dict[str, Any], now: datetime) -> None:
    """Store a session (``kind``, ``key_id``, ``project_id``, ``csrf``, ``expires_at``);
    expired sessions are swept in the same transaction."""
    with uow.write(MANAGEMENT_SCOPE) as tx:
        repo.purge_expired(tx.conn, now)
        repo.insert_session(
            tx.conn, {**fields, "token_hash": digest(session_id), "created_at": now}
        )


def find_session(uow: UnitOfWork, session_id: str, now: datetime) -> dict[str, Any] | None:
    """The live session with this id, or None (unknown, signed out or expired)."""
    with uow.read(MANAGEMENT_SCOPE) as tx:
        return repo.live_session(tx.conn, digest(session_id), now)


def close_session(uow: UnitOfWork, session_id: str) -> None:
    """End a session for every process at once (sign-out)."""
    with uow.write(MANAGEMENT_SCOPE) as tx:
        repo.delete_session(tx.conn, digest(session_id))
