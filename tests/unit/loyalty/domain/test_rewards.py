"""Reward arithmetic: pay-with-points rates, rounding, and the loyalty card strategy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from openvoucher.catalog.domain.validity import Validity
from openvoucher.checkout.domain.redeemables import OrderContext, Requested, VoucherFacts
from openvoucher.checkout.domain.stacking import evaluate
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.loyalty.domain.rewards import (
    check_coin,
    payment,
    points_for,
    points_value,
    reward_type,
)

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)
TEN_PER_UNIT = {"exchange_ratio": 1, "points_ratio": 10}


def test_points_value_rounds_down() -> None:
    """10 points pay 1.00 (100 minor units); 25 points pay 250; a fraction of a unit is lost."""
    assert points_value(25, TEN_PER_UNIT) == 250
    assert points_value(7, {"exchange_ratio": 0.01, "points_ratio": 1}) == 7
    assert points_value(1, {"exchange_ratio": 1, "points_ratio": 3}) == 33


def test_payment_spends_only_what_the_order_needs() -> None:
    """More points than the order needs spend the fewest that pay it off."""
    assert payment(1000, 450, TEN_PER_UNIT) == (45, 450)
    assert payment(1000, 455, TEN_PER_UNIT) == (46, 455)
    assert payment(30, 5000, TEN_PER_UNIT) == (30, 300)
    assert points_for(1, TEN_PER_UNIT) == 1


def test_coin_and_type_checks() -> None:
    """Ratios must be positive (numeric strings accepted); parameters name exactly one kind."""
    assert check_coin({"exchange_ratio": "0.5", "points_ratio": "4"}) == {
        "exchange_ratio": 0.5,
        "points_ratio": 4,
    }
    for bad in (
        {"exchange_ratio": 0, "points_ratio": 1},
        {"exchange_ratio": 1, "points_ratio": 1.5},
    ):
        with pytest.raises(VoucherifyError):
            check_coin(bad)
    assert reward_type({"coin": {"x": 1}}) == "COIN"
    with pytest.raises(VoucherifyError):
        reward_type({"coin": {"x": 1}, "product": {"id": "p"}})


def test_loyalty_card_pays_in_its_place() -> None:
    """A card paying with points pays what is left where it stands in the stack."""
    offer = {"reward_id": "rew_1", "assignment_id": "rewa_1", "coin": TEN_PER_UNIT}
    card = VoucherFacts(
        id="v_L",
        code="L",
        type="LOYALTY_CARD",
        active=True,
        validity=Validity(),
        loyalty_balance=500,
        coin_rewards={"rew_1": offer},
    )
    discount = VoucherFacts(
        id="v_D",
        code="D",
        type="DISCOUNT_VOUCHER",
        active=True,
        validity=Validity(),
        discount={"type": "AMOUNT", "amount_off": 600},
    )
    facts = {"L": card, "D": discount}
    paying = Requested("voucher", "L", reward={"id": "rew_1", "points": 500})
    result = evaluate([Requested("voucher", "D"), paying], facts, OrderContext(3000), NOW)
    assert [o.discount for o in result.outcomes] == [600, 2400]
    assert result.outcomes[1].result == {"loyalty_card": {"points": 240}}
    assert result.totals.total_amount == 0
    first = evaluate([paying, Requested("voucher", "D")], facts, OrderContext(3000), NOW)
    assert [o.discount for o in first.outcomes] == [3000, 0]
    assert first.outcomes[0].result == {"loyalty_card": {"points": 300}}
    too_many = Requested("voucher", "L", reward={"id": "rew_1", "points": 501})
    assert evaluate([too_many], facts, OrderContext(3000), NOW).outcomes[0].error == (
        "loyalty_card_points_exceeded"
    )
    other = Requested("voucher", "L", reward={"id": "rew_2", "points": 5})
    assert evaluate([other], facts, OrderContext(3000), NOW).outcomes[0].error == "reward_not_found"
