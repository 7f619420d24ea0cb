"""Idempotency records: claim a key first, store the response with the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from openvoucher.adapters.db.schema.ledger import idempotency_records as records


def claim(
    conn: Connection, project_id: str, key: str, endpoint: str, request_hash: str, now: datetime
) -> bool:
    """Insert the key; False when it already exists (a concurrent holder is waited for)."""
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(records)
        .values(
            project_id=project_id,
            key=key,
            endpoint=endpoint,
            request_hash=request_hash,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["project_id", "key"])
        .returning(records.c.key)
    )
    # rowcount is not reliable here (psycopg reports -1), so ask for the inserted row.
    return conn.execute(statement).first() is not None


def get(conn: Connection, project_id: str, key: str) -> dict[str, Any] | None:
    """The stored record for a key."""
    query = select(records).where(records.c.project_id == project_id, records.c.key == key)
    found = conn.execute(query).mappings().first()
    return dict(found) if found else None


def store(
    conn: Connection, project_id: str, key: str, status: int, response: dict[str, Any]
) -> None:
    """Remember the response given for a key."""
    conn.execute(
        update(records)
        .where(records.c.project_id == project_id, records.c.key == key)
        .values(status=status, response=response)
    )
