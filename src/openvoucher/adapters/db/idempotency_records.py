"""Idempotency records in SQL (``kernel.idempotency_records.IdempotencyRecords``): claim a key
first, store the response with the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from openvoucher.adapters.db.prepared import PROJECT, first
from openvoucher.adapters.db.schema.ledger import idempotency_records as records
from openvoucher.kernel.idempotency_records import IdempotencyRecord


class SqlIdempotencyRecords:
    """The ``idempotency_records`` table."""

    def claim(
        self,
        conn: Connection,
        project_id: str,
        key: str,
        endpoint: str,
        request_hash: str,
        now: datetime,
    ) -> bool:
        """Insert the key; False when it already exists (a concurrent holder is waited for)."""
        statement = CLAIM_POSTGRESQL if conn.dialect.name == "postgresql" else CLAIM_SQLITE
        values: dict[str, Any] = {"project_id": project_id, "key": key, "endpoint": endpoint}
        values.update(request_hash=request_hash, created_at=now)
        # rowcount is not reliable here (psycopg reports -1), so ask for the inserted row.
        return conn.execute(statement, values).first() is not None

    def get(self, conn: Connection, project_id: str, key: str) -> IdempotencyRecord | None:
        """The stored record for a key."""
        row = first(conn, GET, {PROJECT: project_id, "_key": key})
        return IdempotencyRecord(row["request_hash"], row["response"]) if row else None

    def store(
        self, conn: Connection, project_id: str, key: str, status: int, response: dict[str, Any]
    ) -> None:
        """Remember the response given for a key."""
        conn.execute(
            STORE, {PROJECT: project_id, "_key": key, "status": status, "response": response}
        )


# Hot statements, built once (see ``adapters.db.prepared``).
CLAIM_POSTGRESQL = (
    pg_insert(records)
    .on_conflict_do_nothing(index_elements=["project_id", "key"])
    .returning(records.c.key)
)
CLAIM_SQLITE = (
    sqlite_insert(records)
    .on_conflict_do_nothing(index_elements=["project_id", "key"])
    .returning(records.c.key)
)
_KEY = (records.c.project_id == bindparam(PROJECT), records.c.key == bindparam("_key"))
GET = select(records).where(*_KEY)
STORE = update(records).where(*_KEY)


SQL_IDEMPOTENCY = SqlIdempotencyRecords()
"""The one instance every SQL transaction carries (``Tx.idempotency``)."""
