"""Lock late (ADR 0089): a change another client commits between a redemption's evaluation and
its debit gives the answer of that change followed by the redemption, on both databases.

PostgreSQL evaluates without the card's lock, so the change is made right after the
evaluation (the redemption then checks it under the lock, or runs again lock-first); SQLite
takes one writer at a time, so there the change simply comes first.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import select

from openvoucher.adapters.db.schema.catalog import vouchers as voucher_table
from openvoucher.adapters.db.schema.ledger import voucher_transactions as vt
from openvoucher.catalog import vouchers
from openvoucher.checkout import evaluation, redemptions
from openvoucher.gift_cards import credits
from openvoucher.gift_cards.model import BalanceChange
from openvoucher.kernel.errors import VoucherifyError
from tests.support.contexts import Context


def _redeem_after(
    ctx: Context, monkeypatch: pytest.MonkeyPatch, body: dict[str, Any], change: Callable[[], Any]
) -> tuple[list[bool], dict[str, Any]]:
    """Redeem ``body`` with ``change`` committed after its evaluation (PostgreSQL) or before
    it (SQLite); the ``lock`` of each evaluation that ran, and the response."""
    calls: list[bool] = []
    original = evaluation.run

    def run(tx: Any, body: dict[str, Any], customer: Any, *, lock: bool = False) -> Any:
        found = original(tx, body, customer, lock=lock)
        if not calls and not lock:
            change()  # another client, on another connection, commits now
        calls.append(lock)
        return found

    if ctx.uow.engine.dialect.name == "sqlite":
        change()
    monkeypatch.setattr(evaluation, "run", run)
    try:
        return calls, redemptions.redeem(ctx.uow, ctx.project_id, body)
    finally:
        monkeypatch.setattr(evaluation, "run", original)


def _card(ctx: Context, code: str, amount: int) -> None:
    card = {"type": "GIFT_VOUCHER", "gift": {"amount": amount}}
    vouchers.create(ctx.uow, ctx.project_id, card, code=code)


def _change(ctx: Context, code: str, amount: int) -> Callable[[], Any]:
    return lambda: credits.update_balance(ctx.uow, ctx.project_id, code, BalanceChange(amount))


def _body(code: str, credits_: int | None, amount: int) -> dict[str, Any]:
    gift = {"gift": {"credits": credits_}} if credits_ is not None else {}
    return {
        "redeemables": [{"object": "voucher", "id": code, **gift}],
        "order": {"amount": amount},
    }


def _ledger(ctx: Context, code: str) -> list[tuple[int, int]]:
    """The card's ledger as (amount, balance_after), oldest first; checked to chain."""
    voucher_id = vouchers.get(ctx.uow, ctx.project_id, code)["id"]
    with ctx.uow.engine.connect() as conn:
        query = select(vt.c.amount, vt.c.balance_after).where(vt.c.voucher_id == voucher_id)
        rows = [(int(a), int(b)) for a, b in conn.execute(query.order_by(vt.c.seq))]
    for (_, previous), (amount, after) in pairwise(rows):
        assert after == previous + amount
    return rows


def _late(ctx: Context) -> bool:
    return ctx.uow.engine.dialect.name == "postgresql"


def test_a_removal_after_the_evaluation_is_in_the_debit(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1000 credits, 100 removed after the evaluation, 300 redeemed: 600 left, no rerun."""
    _card(ctx, "LL-1", 1000)
    calls, body = _redeem_after(
        ctx, monkeypatch, _body("LL-1", 300, 300), _change(ctx, "LL-1", -100)
    )
    assert calls == ([False] if _late(ctx) else [True])
    assert body["redemptions"][0]["amount"] == 300
    assert body["redemptions"][0]["voucher"]["gift"]["balance"] == 600
    assert _ledger(ctx, "LL-1")[-2:] == [(-100, 900), (-300, 600)]


def test_a_removal_that_leaves_too_little_fails_the_redemption(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1000 credits, 800 removed after the evaluation: 300 is gift_amount_exceeded, 200 left."""
    _card(ctx, "LL-2", 1000)
    with pytest.raises(VoucherifyError) as refused:
        _redeem_after(ctx, monkeypatch, _body("LL-2", 300, 300), _change(ctx, "LL-2", -800))
    assert refused.value.key == "gift_amount_exceeded"
    assert vouchers.get(ctx.uow, ctx.project_id, "LL-2")["gift"]["balance"] == 200
    assert _ledger(ctx, "LL-2")[-1] == (-800, 200)


def test_credits_taken_from_the_balance_follow_an_addition(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No credits asked, a 500 order on a 400 card, 1000 added meanwhile: it pays 500 (rerun)."""
    _card(ctx, "LL-3", 400)
    calls, body = _redeem_after(
        ctx, monkeypatch, _body("LL-3", None, 500), _change(ctx, "LL-3", 1000)
    )
    assert calls == ([False, True] if _late(ctx) else [True])
    assert body["redemptions"][0]["amount"] == 500
    assert _ledger(ctx, "LL-3")[-1] == (-500, 900)


def test_a_card_disabled_after_the_evaluation_is_not_redeemed(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The card is disabled after the evaluation: the redemption reruns and is refused."""
    _card(ctx, "LL-4", 1000)

    def disable() -> None:
        vouchers.set_active(ctx.uow, ctx.project_id, "LL-4", False)

    with pytest.raises(VoucherifyError) as refused:
        _redeem_after(ctx, monkeypatch, _body("LL-4", 100, 100), disable)
    assert refused.value.key == "voucher_disabled"
    assert vouchers.get(ctx.uow, ctx.project_id, "LL-4")["gift"]["balance"] == 1000


def test_removals_keep_the_subtracted_credits_on_both_paths(ctx: Context) -> None:
    """Removing 200 then 100 and adding 50 records 300 credits subtracted in the card's attrs."""
    _card(ctx, "LL-5", 1000)
    for amount in (-200, -100, 50):
        _change(ctx, "LL-5", amount)()
    with ctx.uow.engine.connect() as conn:
        query = select(voucher_table.c.attrs, voucher_table.c.gift_amount).where(
            voucher_table.c.code == "LL-5"
        )
        attrs, amount = conn.execute(query).one()
    assert (attrs["gift_subtracted_amount"], amount) == (300, 750)
    assert _ledger(ctx, "LL-5") == [(-200, 800), (-100, 700), (50, 750)]
