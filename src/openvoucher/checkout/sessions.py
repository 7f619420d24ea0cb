"""LOCK sessions: a valid validation can hold its vouchers (one use, the credits it would pay)
until the session is released, used by a redemption, or expires."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from openvoucher.catalog import vouchers
from openvoucher.checkout.domain.redeemables import Evaluation
from openvoucher.checkout.repositories.sessions import SessionRepository
from openvoucher.kernel.errors import NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork

UNITS = {
    "DAYS": timedelta(days=1),
    "HOURS": timedelta(hours=1),
    "MINUTES": timedelta(minutes=1),
    "SECONDS": timedelta(seconds=1),
    "MILLISECONDS": timedelta(milliseconds=1),
    "MICROSECONDS": timedelta(microseconds=1),
    "NANOSECONDS": timedelta(microseconds=0.001),
}
DEFAULT_TTL = 7
DEFAULT_UNIT = "DAYS"


def session_of(spec: dict[str, Any] | None) -> dict[str, Any] | None:
    """The normalised LOCK session a request asks for (a key is made up when none is given)."""
    if spec is None or spec.get("type", "LOCK") != "LOCK":
        return None
    return {
        "key": spec.get("key") or new_id("session"),
        "type": "LOCK",
        "ttl": spec.get("ttl") or DEFAULT_TTL,
        "ttl_unit": spec.get("ttl_unit") or DEFAULT_UNIT,
    }


def hold(tx: Tx, session: dict[str, Any], evaluation: Evaluation) -> None:
    """Hold every applicable voucher of ``evaluation`` for the session's lifetime."""
    expires_at = tx.now + UNITS[session["ttl_unit"]] * session["ttl"]
    repo = SessionRepository(tx.conn, tx.project_id)
    for outcome in evaluation.applicable:
        assert outcome.facts is not None
        if outcome.facts.object != "voucher":  # promotion tiers have nothing to hold
            continue
        repo.hold(session["key"], outcome.facts.id, outcome.credits, tx.now, expires_at)


def consume(tx: Tx, key: str | None, voucher_ids: list[str]) -> None:
    """A redemption in session ``key`` uses what the session held of these vouchers."""
    if key is None:
        return
    repo = SessionRepository(tx.conn, tx.project_id)
    for voucher_id in voucher_ids:
        repo.release(key, voucher_id)
    repo.purge_expired(voucher_ids, tx.now)


def release(uow: UnitOfWork, project_id: str, code: str, key: str) -> None:
    """``DELETE /v1/vouchers/{code}/sessions/{sessionKey}``: 404 when nothing was held."""
    with uow.write(project_id) as tx:
        row = vouchers.require(tx, code)
        if SessionRepository(tx.conn, tx.project_id).release(key, row["id"]) == 0:
            raise NotFound("session", key)
