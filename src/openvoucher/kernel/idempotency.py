"""``Idempotency-Key`` for POSTs that move balance: same key and body → the stored response."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openvoucher.kernel.errors import VoucherifyError
from openvoucher.kernel.idempotency_records import IdempotencyRecords
from openvoucher.kernel.unit_of_work import Tx

MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class IdempotencyKey:
    """A client's key for one request, with the hash of what it sent."""

    key: str
    endpoint: str
    request_hash: str

    @classmethod
    def of(cls, key: str | None, endpoint: str, body: bytes) -> IdempotencyKey | None:
        """The key for a request, or None when the client sent none."""
        if key is None:
            return None
        if not key.strip() or len(key) > MAX_KEY_LENGTH:
            raise VoucherifyError(
                "Invalid Idempotency-Key",
                f"Use 1 to {MAX_KEY_LENGTH} characters",
                key="invalid_idempotency_key",
            )
        digest = hashlib.sha256(endpoint.encode() + b"\n" + body).hexdigest()
        return cls(key=key, endpoint=endpoint, request_hash=digest)


def once(
    tx: Tx, idempotency: IdempotencyKey | None, action: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """Run ``action`` unless this key already ran; a reused key with another body is 409."""
    if idempotency is None:
        return action()
    records = _records(tx)
    claimed = records.claim(
        tx.conn,
        tx.project_id,
        idempotency.key,
        idempotency.endpoint,
        idempotency.request_hash,
        tx.now,
    )
    if not claimed:
        return _replay(tx, idempotency)
    body = action()
    records.store(tx.conn, tx.project_id, idempotency.key, 200, body)
    return body


def _records(tx: Tx) -> IdempotencyRecords:
    if tx.idempotency is None:
        raise RuntimeError("this unit of work keeps no idempotency records")
    return tx.idempotency


def _replay(tx: Tx, idempotency: IdempotencyKey) -> dict[str, Any]:
    stored = _records(tx).get(tx.conn, tx.project_id, idempotency.key)
    if stored is None or stored.response is None:
        raise VoucherifyError(
            "Request in progress",
            "A request with this Idempotency-Key is still running",
            key="idempotency_in_progress",
            status=409,
        )
    if stored.request_hash != idempotency.request_hash:
        raise VoucherifyError(
            "Idempotency-Key reused",
            "This Idempotency-Key was used with a different request body or endpoint",
            key="idempotency_key_reused",
            status=409,
        )
    return stored.response
