"""The pure evaluation of a stack of redeemables against an order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from openvoucher.catalog.domain.validity import Validity
from openvoucher.checkout.domain.redeemables import (
    OrderContext,
    Requested,
    VoucherFacts,
)
from openvoucher.checkout.domain.stacking import evaluate

NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)


def _discount(code: str, discount: dict[str, object], **extra: object) -> VoucherFacts:
    base: dict[str, object] = {"active": True, "validity": Validity(), **extra}
    return VoucherFacts(
        id=f"v_{code}",
        code=code,
        type="DISCOUNT_VOUCHER",
        discount=discount,
        **base,  # type: ignore[arg-type]
    )


def _gift(code: str, balance: int) -> VoucherFacts:
    return VoucherFacts(
        id=f"v_{code}", code=code, type="GIFT_VOUCHER", active=True, validity=Validity(),
        gift_balance=balance,
    )  # fmt: skip


def test_gift_cards_apply_in_requested_order() -> None:
    """A gift card listed first pays first; the discounts after it apply on what it left."""
    facts = {
        "G": _gift("G", 3000),
        "P": _discount("P", {"type": "PERCENT", "percent_off": 10}),
        "A": _discount("A", {"type": "AMOUNT", "amount_off": 500}),
    }
    result = evaluate(
        [Requested("voucher", "G"), Requested("voucher", "P"), Requested("voucher", "A")],
        facts,
        OrderContext(amount=10000),
        NOW,
    )
    gift, percent, amount = result.outcomes
    assert gift.credits == 3000
    assert gift.order is not None
    assert gift.order.total_amount == 7000
    assert percent.discount == 700
    assert amount.discount == 500
    assert result.totals.discount_amount == 4200
    assert result.totals.applied_discount_amount == 4200
    assert result.valid


def test_gift_card_is_capped_by_what_is_left_and_asked() -> None:
    """Credits never exceed the order left to pay; asking above the balance is an error."""
    facts = {"G": _gift("G", 5000)}
    capped = evaluate([Requested("voucher", "G", credits=4000)], facts, OrderContext(1200), NOW)
    assert capped.outcomes[0].credits == 1200
    over = evaluate([Requested("voucher", "G", credits=6000)], facts, OrderContext(9000), NOW)
    assert over.outcomes[0].error == "gift_amount_exceeded"
    assert not over.valid


def test_common_checks_in_voucherify_order() -> None:
    """Missing, disabled, campaign off, not started, expired, used up: each its own key."""
    amount = {"type": "AMOUNT", "amount_off": 100}
    facts = {
        "OFF": _discount("OFF", amount, active=False),
        "CAMP": _discount("CAMP", amount, campaign_active=False),
        "SOON": _discount("SOON", amount, validity=Validity(start_date=NOW + timedelta(days=1))),
        "OLD": _discount("OLD", amount, validity=Validity(expiration_date=NOW - timedelta(1))),
        "USED": _discount("USED", amount, quantity=2, used_quantity=2),
    }
    codes = ["NONE", "OFF", "CAMP", "SOON", "OLD", "USED"]
    result = evaluate([Requested("voucher", c) for c in codes], facts, OrderContext(1000), NOW)
    assert [o.error for o in result.outcomes] == [
        "resource_not_found",
        "voucher_disabled",
        "voucher_disabled",
        "voucher_not_active",
        "voucher_expired",
        "quantity_exceeded",
    ]
    assert result.totals.discount_amount == 0


def test_more_than_five_applicable_are_skipped() -> None:
    """The sixth applicable redeemable is skipped (applicable_redeemables_limit 5)."""
    facts = {f"C{i}": _discount(f"C{i}", {"type": "AMOUNT", "amount_off": 10}) for i in range(6)}
    result = evaluate([Requested("voucher", c) for c in facts], facts, OrderContext(1000), NOW)
    assert [o.status for o in result.outcomes][-1] == "SKIPPED"
    assert result.totals.discount_amount == 50
    assert result.valid


def test_prior_discount_and_loyalty_without_reward() -> None:
    """Earlier discounts on the order count; a loyalty card without a reward is inapplicable."""
    loyalty = VoucherFacts(
        id="v_L", code="L", type="LOYALTY_CARD", active=True, validity=Validity()
    )
    facts = {"A": _discount("A", {"type": "AMOUNT", "amount_off": 800}), "L": loyalty}
    result = evaluate(
        [Requested("voucher", "A")], facts, OrderContext(1000, prior_discount=500), NOW
    )
    assert result.outcomes[0].discount == 500
    assert result.totals.discount_amount == 1000
    assert result.totals.applied_discount_amount == 500
    card = evaluate([Requested("voucher", "L")], facts, OrderContext(1000), NOW)
    assert card.outcomes[0].error == "missing_reward"
