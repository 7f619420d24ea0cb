"""Where idempotency keys are kept: the protocol ``kernel.idempotency.once`` calls through
``Tx.idempotency`` (the SQL store is ``adapters.db.idempotency_records``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    """A claimed key: the hash of the request that claimed it and, once it ran, the
    response given (None while the request is still running)."""

    request_hash: str
    response: dict[str, Any] | None


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

    def get(self, conn: Connection, project_id: str, key: str) -> IdempotencyRecord | None:
        """The stored record for a key."""
        ...

    def store(
        self, conn: Connection, project_id: str, key: str, status: int, response: dict[str, Any]
    ) -> None:
        """Remember the response given for a key."""
        ...
