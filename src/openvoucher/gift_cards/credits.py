"""The gift-card ledger: every change of a card's credits is one appended transaction.

``lock_voucher`` and ``apply_credits`` work inside an open :class:`Tx`; redemptions and
rollbacks call them in their own transaction. The voucher's ``gift_amount`` (Voucherify's
``gift.amount`` / ``balance.total``: credits added minus credits removed) and
``gift_balance`` are caches of the ledger, updated in the same transaction; the credits
removed over the card's life are kept in ``attrs.gift_subtracted_amount``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openvoucher.catalog import tx_cache
from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.customers import customers
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.gift_cards.model import BalanceChange
from openvoucher.gift_cards.presenters.transactions import balance, event_balance, transaction
from openvoucher.gift_cards.repositories.voucher_transactions import (
    GiftShift,
    VoucherTransactionRepository,
)
from openvoucher.kernel import ledger
from openvoucher.kernel.errors import InvalidPayload, NotFound, VoucherifyError
from openvoucher.kernel.events import Event
from openvoucher.kernel.idempotency import IdempotencyKey, once
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork

OPERATIONS: dict[str, Callable[[ledger.GiftBalance, int], ledger.GiftBalance]] = {
    ledger.CREDITS_ADDITION: ledger.add_credits,
    ledger.CREDITS_REMOVAL: ledger.remove_credits,
    ledger.CREDITS_REDEMPTION: ledger.redeem_credits,
    ledger.CREDITS_REFUND: ledger.refund_credits,
}
MANUAL = (ledger.CREDITS_ADDITION, ledger.CREDITS_REMOVAL)
SUBTRACTED = "gift_subtracted_amount"
MAX_FIGURE = 2**53
"""The largest total a card may reach (exact in every JSON client, far below BIGINT)."""


def lock_voucher(tx: Tx, code_or_id: str) -> dict[str, Any]:
    """The voucher row, locked for this transaction (SELECT … FOR UPDATE on PostgreSQL;
    SQLite's BEGIN IMMEDIATE already serialises writers); 404 not_found."""
    voucher_id = VoucherTransactionRepository(tx.conn, tx.project_id).lock_voucher(code_or_id)
    row = VoucherRepository(tx.conn, tx.project_id).get(voucher_id) if voucher_id else None
    if row is None:
        raise NotFound("voucher", code_or_id)
    return row


def _relock(tx: Tx, voucher_id: str) -> dict[str, Any]:
    """The voucher by id, locked and read afresh in one statement (the caller's copy may be
    stale)."""
    row = VoucherRepository(tx.conn, tx.project_id).get_locked(voucher_id)
    if row is None:
        raise NotFound("voucher", voucher_id)
    return row


def gift_balance(row: dict[str, Any]) -> ledger.GiftBalance:
    """A gift voucher row's cached figures (400 for any other voucher)."""
    if row["type"] != "GIFT_VOUCHER":
        raise VoucherifyError(
            "Not a gift card",
            f"Voucher {row['code']} is a {row['type']}: only a GIFT_VOUCHER has gift credits",
            key="invalid_voucher_type",
        )
    amount = int(row["gift_amount"] or 0)
    current = int(row["gift_balance"] or 0)
    return ledger.GiftBalance(
        amount=amount,
        balance=current,
        subtracted_amount=int(row["attrs"].get(SUBTRACTED, 0)),
        redeemed_amount=amount - current,
    )


def apply_credits(
    tx: Tx, voucher: dict[str, Any], kind: str, credits: int, **options: Any
) -> dict[str, Any]:
    """Append one gift transaction, update the voucher's cached gift figures in the same tx,
    emit its events; returns the transaction row (as stored) — raises 400 on a non-gift
    voucher or insufficient balance (nothing written). ``voucher`` may be a stale copy: the
    card is locked and read afresh. Options as :func:`apply`.
    """
    return apply(tx, voucher, kind, credits, **options).transaction


@dataclass(frozen=True)
class Applied:
    """One applied gift transaction: the row as stored, and the voucher as it is now."""

    transaction: dict[str, Any]
    voucher: dict[str, Any]


def apply(
    tx: Tx,
    voucher: dict[str, Any],
    kind: str,
    credits: int,
    *,
    source_id: str | None = None,
    reason: str | None = None,
    source: str = "API",
    order: dict[str, Any] | None = None,
    redemption: dict[str, Any] | None = None,
    rollback: dict[str, Any] | None = None,
    related_transaction_id: str | None = None,
    current: bool = False,
) -> Applied:
    """:func:`apply_credits`, also giving the voucher as it is after the change.

    ``credits`` is positive; ``kind`` gives the sign. ``order``, ``redemption`` and
    ``rollback`` are the rendered objects for the events (their ids go into ``details``).
    ``source`` applies to manual kinds; a redemption's or refund's source is null.
    ``current``: the caller holds the card's lock and read ``voucher`` after the last change
    in this transaction (e.g. from ``UPDATE … RETURNING``), so it is used as is; otherwise
    the card is locked and read afresh.
    """
    if kind not in OPERATIONS:
        raise ValueError(f"unknown gift transaction type {kind}")
    current_row = voucher if current else _relock(tx, voucher["id"])
    return _apply(
        tx,
        current_row,
        kind,
        credits,
        source_id=source_id,
        reason=reason,
        source=source,
        related={"order": order, "redemption": redemption, "rollback": rollback},
        related_transaction_id=related_transaction_id,
    )


def _apply(
    tx: Tx,
    current: dict[str, Any],
    kind: str,
    credits: int,
    *,
    source_id: str | None,
    reason: str | None,
    source: str,
    related: dict[str, dict[str, Any] | None],
    related_transaction_id: str | None,
    stored: dict[str, Any] | None = None,
) -> Applied:
    before = gift_balance(current)
    after = OPERATIONS[kind](before, credits)
    if after.amount > MAX_FIGURE:
        raise VoucherifyError(
            "Balance too large",
            f"A gift card holds at most {MAX_FIGURE} credits",
            key="invalid_add_balance_params",
        )
    manual = kind in MANUAL
    delta = after.balance - before.balance
    details: dict[str, Any] = {
        "balance": balance(
            "gift", current["id"], delta, after.amount, after.balance, "MANUAL" if manual else None
        ),
        **_references(related["order"], related["redemption"], related["rollback"]),
    }
    row = VoucherTransactionRepository(tx.conn, tx.project_id).insert(
        {
            "id": new_id("gift_transaction"),
            "voucher_id": current["id"],
            "campaign_id": current["campaign_id"],
            "kind": "gift",
            "type": kind,
            "amount": delta,
            "balance_after": after.balance,
            "source_id": source_id,
            "source": source if manual else None,
            "reason": reason,
            "related_transaction_id": related_transaction_id,
            "details": details,
            "created_at": tx.now,
        }
    )
    updated = _store(tx, current, after) if stored is None else stored
    _emit(tx, updated, row, related)
    return Applied(transaction=row, voucher=updated)


def _references(
    order: dict[str, Any] | None, redemption: dict[str, Any] | None, rollback: dict[str, Any] | None
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if order is not None:
        found["order"] = {"id": order["id"], "source_id": order.get("source_id")}
    if redemption is not None:
        found["redemption"] = {"id": redemption["id"]}
    if rollback is not None:
        found["rollback"] = {"id": rollback["id"]}
    return found


def _store(tx: Tx, row: dict[str, Any], after: ledger.GiftBalance) -> dict[str, Any]:
    attrs = {**row["attrs"], SUBTRACTED: after.subtracted_amount}
    updated = VoucherRepository(tx.conn, tx.project_id).update_returning(
        row,
        {
            "gift_amount": after.amount,
            "gift_balance": after.balance,
            "attrs": attrs,
            "updated_at": tx.now,
        },
    )
    assert updated is not None
    return updated


def _emit(
    tx: Tx, row: dict[str, Any], stored: dict[str, Any], related: dict[str, dict[str, Any] | None]
) -> None:
    campaign = tx_cache.campaign_view(tx, row["campaign_id"])
    holder = None
    if row["holder_id"] is not None:
        holder = customers.by_id(tx, row["holder_id"])
    rendered = tx_cache.voucher_view(tx, row)
    body = transaction(stored)
    money = event_balance(stored["details"])
    common = {"voucher": rendered, "campaign": campaign, "balance": money, "transaction": body}
    if stored["type"] == ledger.CREDITS_ADDITION:
        tx.emit(Event("voucher.gift.balance_added", dict(common), entity_id=row["id"]))
        if holder is not None:
            data = {"customer": customer_ref(holder), **common}
            tx.emit(Event("customer.voucher.gift.balance_added", data, entity_id=holder["id"]))
    created = {**common, "holder": customer_ref(holder), **related}
    tx.emit(Event("voucher.gift.transaction.created", created, entity_id=row["id"]))


def late(tx: Tx) -> bool:
    """Lock late (ADR 0089): on PostgreSQL one conditional statement late in the work takes
    the card's row lock; SQLite (one writer at a time) keeps the lock-first path."""
    return tx.conn.dialect.name == "postgresql"


@dataclass(frozen=True)
class Debited:
    """A card changed by :func:`debit`: as it was just before the change, and as now stored
    (both read under the row lock the statement took)."""

    before: dict[str, Any]
    after: dict[str, Any]


def debit(
    tx: Tx, row: dict[str, Any], kind: str, credits: int, *, redeemed: int = 0
) -> Debited | None:
    """Change the gift card ``row`` (read without a lock) by ``credits`` of ``kind`` (and its
    ``redeemed_quantity`` by ``redeemed``) in one statement that takes the row lock; None
    (nothing changed) when the card is gone or would be overdrawn or too large: the caller
    then takes the lock-first path, which answers as Voucherify does. Then :func:`record`."""
    sign = ledger.GIFT_SIGNS[kind]
    shift = GiftShift(
        balance=sign * credits,
        amount=sign * credits if kind in MANUAL else 0,
        redeemed=redeemed,
        subtracted=credits if kind == ledger.CREDITS_REMOVAL else 0,
        ceiling=MAX_FIGURE,
    )
    repo = VoucherTransactionRepository(tx.conn, tx.project_id)
    fresh = repo.shift_gift(row["id"], shift, tx.now)
    if fresh is None:
        return None
    after = {**row, **fresh}
    attrs = after["attrs"]
    before = {
        **after,
        "gift_balance": after["gift_balance"] - shift.balance,
        "gift_amount": after["gift_amount"] - shift.amount,
        "redeemed_quantity": after["redeemed_quantity"] - shift.redeemed,
        "attrs": {**attrs, SUBTRACTED: int(attrs.get(SUBTRACTED, 0)) - shift.subtracted},
    }
    return Debited(before=before, after=after)


def record(tx: Tx, debited: Debited, kind: str, credits: int, **options: Any) -> Applied:
    """The ledger row and events of a change :func:`debit` made (options as :func:`apply`):
    its ``balance_after`` follows from the card as it was under the lock."""
    related = {name: options.pop(name, None) for name in ("order", "redemption", "rollback")}
    applied = _apply(
        tx,
        debited.before,
        kind,
        credits,
        source_id=options.pop("source_id", None),
        reason=options.pop("reason", None),
        source=options.pop("source", "API"),
        related=related,
        related_transaction_id=options.pop("related_transaction_id", None),
        stored=debited.after,
    )
    assert applied.transaction["balance_after"] == debited.after["gift_balance"]
    return applied


def change_balance(
    tx: Tx, row: dict[str, Any], amount: Any, *, source_id: str | None, reason: str | None
) -> dict[str, Any]:
    """A manual adjustment: ``amount`` > 0 adds credits, < 0 removes them; the response body."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0:
        raise InvalidPayload(
            "Invalid balance change",
            "amount must be a non-zero integer: positive adds credits, negative removes them",
        )
    kind = ledger.CREDITS_ADDITION if amount > 0 else ledger.CREDITS_REMOVAL
    stored = apply_credits(tx, row, kind, abs(amount), source_id=source_id, reason=reason)
    return _balance_body(stored)


def _balance_body(stored: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = stored["details"]["balance"]
    return {
        "amount": body["amount"],
        "total": body["total"],
        "balance": body["balance"],
        "type": "gift_voucher",
        "operation_type": "MANUAL",
        "object": "balance",
        "related_object": body["related_object"],
    }


def update_balance(
    uow: UnitOfWork,
    project_id: str,
    code: str,
    change: BalanceChange,
    idempotency: IdempotencyKey | None = None,
) -> dict[str, Any]:
    """``POST /v1/vouchers/{code}/balance``: one adjustment, applied at most once per key.

    Loyalty cards go to ``loyalty.loyalty_cards.change_balance`` when that module exists.
    """
    with uow.write(project_id) as tx:
        return once(tx, idempotency, lambda: _adjust(tx, code, change))


def _adjust(tx: Tx, code: str, change: BalanceChange) -> dict[str, Any]:
    options = {"source_id": change.source_id, "reason": change.reason}
    if late(tx):
        done = _adjust_late(tx, code, change.amount, options)
        if done is not None:
            return done
    row = lock_voucher(tx, code)
    if row["type"] == "LOYALTY_CARD":
        handler = loyalty_balance_handler()
        if handler is not None:
            return handler(tx, row, change.amount, **options)
    if row["type"] != "GIFT_VOUCHER":
        raise VoucherifyError(
            "Balance not adjustable",
            f"Voucher {row['code']} is a {row['type']}: only gift cards and loyalty cards "
            "have a balance",
            key="invalid_voucher_type",
        )
    return change_balance(tx, row, change.amount, **options)


def _adjust_late(tx: Tx, code: str, amount: Any, options: dict[str, Any]) -> dict[str, Any] | None:
    """A gift card's adjustment, lock-late: read without a lock, one conditional statement;
    None when the lock-first path must answer (not a gift card, a bad amount, refused)."""
    row = VoucherRepository(tx.conn, tx.project_id).get_by_code_or_id(code)
    valid = isinstance(amount, int) and not isinstance(amount, bool) and amount != 0
    if row is None or row["type"] != "GIFT_VOUCHER" or not valid:
        return None
    kind = ledger.CREDITS_ADDITION if amount > 0 else ledger.CREDITS_REMOVAL
    debited = debit(tx, row, kind, abs(amount))
    if debited is None:
        return None
    return _balance_body(record(tx, debited, kind, abs(amount), **options).transaction)


LoyaltyHandler = Callable[..., dict[str, Any]]


def loyalty_balance_handler() -> LoyaltyHandler | None:
    """``loyalty.loyalty_cards.change_balance`` (the loyalty ledger), if it is installed."""
    name = "openvoucher.loyalty.loyalty_cards"
    try:
        loyalty_cards = importlib.import_module(name)
    except ModuleNotFoundError as missing:
        if missing.name != name:
            raise
        return None
    handler: LoyaltyHandler | None = getattr(loyalty_cards, "change_balance", None)
    return handler
