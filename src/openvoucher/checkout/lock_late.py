"""Lock late (ADR 0089): on PostgreSQL a one-voucher redemption is evaluated without the
voucher's row lock; the lock is taken by the write that changes the voucher (for a gift card:
the counter and the debit in one conditional statement), and the evaluation is checked there
against the voucher as it is under the lock.

What may have moved meanwhile is what other redemptions and balance changes move: the
balance, the total, the counter (and the session holds on the card). When only these moved,
the pure evaluation runs again on the fresh figures and must come out the same (same
verdict, credits, discount and order); anything else (another column changed, validation
rules that might read counts, a different outcome, a refused debit) raises :class:`Stale`:
the transaction rolls back and the redemption runs once more on the lock-first path, which
is exactly what it was before this module existed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openvoucher.checkout import evaluation as loading
from openvoucher.checkout.domain.redeemables import Evaluation, Outcome, VoucherFacts
from openvoucher.checkout.domain.stacking import evaluate
from openvoucher.checkout.repositories.redemptions import VoucherCounters
from openvoucher.checkout.repositories.sessions import SessionRepository
from openvoucher.gift_cards import credits as gift_cards
from openvoucher.kernel import ledger
from openvoucher.kernel.unit_of_work import Tx

MOVING = frozenset({"gift_balance", "gift_amount", "redeemed_quantity", "updated_at", "attrs"})
"""Voucher columns that ledger and counter writes change (``attrs`` only in its subtracted
credits); any other difference from the evaluated row is :class:`Stale`."""


_KEY = "lock_late"


class Stale(Exception):
    """The voucher changed between the evaluation and its lock so that the evaluation may
    not hold: roll back and redeem again on the lock-first path."""


def eligible(tx: Tx, body: dict[str, Any]) -> bool:
    """Whether ``body`` may take the lock-late path: PostgreSQL, one voucher, no reward
    (stacks keep locking their vouchers in id order; paying with points keeps its path)."""
    if not gift_cards.late(tx):
        return False
    entries = body.get("redeemables") or []
    if len(entries) != 1 or not isinstance(entries[0], dict):
        return False
    entry = entries[0]
    return entry.get("object", "voucher") == "voucher" and entry.get("reward") is None


def take(tx: Tx, context: loading.Context) -> None:
    """Change the voucher of a valid lock-late evaluation before any other write (its lock
    first, as the lock-first path takes it: no new deadlocks): the counter, and for gift
    credits the debit, in one statement, then :func:`recheck`; :class:`Stale` when the
    evaluation no longer holds (the transaction rolls back)."""
    for outcome in context.evaluation.applicable:
        if outcome.facts is None or outcome.facts.object != "voucher":
            continue
        seen = context.vouchers.rows[outcome.facts.id]
        if outcome.credits <= 0:
            counters = VoucherCounters(tx.conn, tx.project_id)
            after = counters.add_redeemed_returning(seen, 1, tx.now)
            before = {**after, "redeemed_quantity": after["redeemed_quantity"] - 1}
            recheck(tx, context, outcome, seen, before)
            tx.memo[_KEY, outcome.facts.id] = (after, None)
            continue
        debited = gift_cards.debit(tx, seen, ledger.CREDITS_REDEMPTION, outcome.credits, redeemed=1)
        if debited is None:
            raise Stale("the card refused the debit")
        recheck(tx, context, outcome, seen, debited.before)
        tx.memo[_KEY, outcome.facts.id] = (debited.after, debited)


def count_and_credit(
    tx: Tx, outcome: Outcome, redemption: dict[str, Any], order_body: dict[str, Any]
) -> tuple[dict[str, Any], str | None]:
    """The ledger row and events of the change :func:`take` made: the voucher as it is now,
    and the gift transaction's id (None without credits)."""
    assert outcome.facts is not None
    after, debited = tx.memo.pop((_KEY, outcome.facts.id))
    if debited is None:
        return after, None
    applied = gift_cards.record(
        tx,
        debited,
        ledger.CREDITS_REDEMPTION,
        outcome.credits,
        order=order_body,
        redemption=redemption,
    )
    return applied.voucher, str(applied.transaction["id"])


def recheck(
    tx: Tx,
    context: loading.Context,
    outcome: Outcome,
    seen: dict[str, Any],
    before: dict[str, Any],
) -> None:
    """Raise :class:`Stale` unless evaluating ``before`` (the voucher just before this
    write, under its lock) gives what evaluating ``seen`` gave."""
    if any(before.get(key) != value for key, value in seen.items() if key not in MOVING):
        raise Stale("the voucher changed")
    if _plain(before["attrs"]) != _plain(seen["attrs"]):
        raise Stale("the voucher changed")
    facts = outcome.facts
    assert facts is not None
    assert context.inputs is not None
    fresh = _fresh_facts(tx, context, facts, before)
    if fresh == facts:
        return
    if facts.type != "GIFT_VOUCHER" or facts.rules is not None or facts.item_formulas:
        raise Stale("the voucher's figures moved and its rules or formulas may read them")
    inputs = context.inputs
    patched = {key: fresh if one.id == facts.id else one for key, one in inputs.facts.items()}
    again = evaluate(context.requests, patched, inputs.order, tx.now, inputs.policy)
    if not same(context.evaluation, again):
        raise Stale("the evaluation changed")


def _fresh_facts(
    tx: Tx,
    context: loading.Context,
    facts: VoucherFacts,
    before: dict[str, Any],
) -> VoucherFacts:
    """``facts`` with the balance and counter of ``before`` less the session holds as they
    are now (read under the lock: a hold made meanwhile counts)."""
    assert context.inputs is not None
    besides = context.inputs.session_key
    held = SessionRepository(tx.conn, tx.project_id).held([facts.id], tx.now, besides=besides)
    uses, credits = held.get(facts.id, (0, 0))
    return replace(
        facts,
        used_quantity=int(before["redeemed_quantity"]) + uses,
        gift_balance=max(int(before["gift_balance"] or 0) - credits, 0),
    )


def _plain(attrs: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in attrs.items() if key != gift_cards.SUBTRACTED}


def same(first: Evaluation, second: Evaluation) -> bool:
    """Same verdict, and each redeemable the same status, error, credits, discount and
    order (a result's reported balance may differ: a redemption does not show it)."""
    if first.valid != second.valid or first.totals != second.totals:
        return False
    if len(first.outcomes) != len(second.outcomes):
        return False
    return all(
        (a.status, a.error, a.credits, a.discount, a.order)
        == (b.status, b.error, b.credits, b.discount, b.order)
        for a, b in zip(first.outcomes, second.outcomes, strict=True)
    )
