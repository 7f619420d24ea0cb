"""Where idempotency keys are kept: the protocol ``kernel.idempotency.once`` calls through
``Tx.idempotency`` (the SQL store is ``adapters.db.idempotency_records``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection


class IdempotencyRecords(Protocol):
    """Claim a key, read what it stored, store the response given for it."""

    def claim(
        self,
        conn: Connection,
        project_id: str,
        key: str,
        endpoint: str,
        request_hash: str,
        now: datetime,
    ) -> bool:
        """Insert the key; False when it already exists."""
        ...

    def get(self, conn: Connection, project_id: str, key: str) -> dict[str, Any] | None:
        """The stored record for a key."""
        ...

    def store(
        self, conn: Connection, project_id: str, key: str, status: int, response: dict[str, Any]
    ) -> None:
        """Remember the response given for a key."""
        ...
