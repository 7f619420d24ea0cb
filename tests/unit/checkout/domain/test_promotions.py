"""Promotion tiers in the pure evaluation, and the checks of tier and stack input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from openvoucher.catalog.domain.validity import Validity
from openvoucher.checkout.domain.promotions import stack_tiers, tier_discount, tier_name
from openvoucher.checkout.domain.redeemables import OrderContext, Requested, VoucherFacts
from openvoucher.checkout.domain.stacking import evaluate
from openvoucher.kernel.errors import InvalidPayload

NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)


def _tier(tier_id: str, discount: dict[str, object], **extra: object) -> VoucherFacts:
    base: dict[str, object] = {"active": True, "validity": Validity(), **extra}
    return VoucherFacts(
        id=tier_id,
        code=tier_id,
        type="DISCOUNT_VOUCHER",
        discount=discount,
        object="promotion_tier",
        **base,  # type: ignore[arg-type]
    )


def test_tier_discounts_like_a_voucher() -> None:
    """A tier's PERCENT discount with amount_limit is computed as a voucher's."""
    facts = {
        "promo_a": _tier("promo_a", {"type": "PERCENT", "percent_off": 50, "amount_limit": 700})
    }
    result = evaluate([Requested("promotion_tier", "promo_a")], facts, OrderContext(2000), NOW)
    assert result.valid
    assert result.totals.discount_amount == 700
    assert result.outcomes[0].result == {"discount": facts["promo_a"].discount}


def test_tier_errors_use_promotion_keys() -> None:
    """Disabled → promotion_inactive; before start, expired or off-day → not_active_now."""
    off = {"type": "AMOUNT", "amount_off": 100}
    facts = {
        "promo_off": _tier("promo_off", off, active=False),
        "promo_late": _tier("promo_late", off, validity=Validity(start_date=NOW + timedelta(1))),
        "promo_old": _tier("promo_old", off, validity=Validity(expiration_date=NOW - timedelta(1))),
        "promo_camp": _tier("promo_camp", off, campaign_active=False),
    }
    requests = [Requested("promotion_tier", key) for key in facts]
    result = evaluate(requests, facts, OrderContext(1000), NOW)
    assert [o.error for o in result.outcomes] == [
        "promotion_inactive",
        "promotion_not_active_now",
        "promotion_not_active_now",
        "promotion_inactive",
    ]
    assert result.outcomes[0].message == "promotion is inactive"


def test_tier_facts_never_answer_a_voucher_request() -> None:
    """A voucher request never matches a tier's facts (and the other way round)."""
    facts = {"promo_a": _tier("promo_a", {"type": "AMOUNT", "amount_off": 100})}
    result = evaluate([Requested("voucher", "promo_a")], facts, OrderContext(1000), NOW)
    assert result.outcomes[0].error == "resource_not_found"


def test_tier_input_checks() -> None:
    """A tier needs a name and a valid discount; a stack 1–30 distinct tiers."""
    assert tier_discount({"discount": {"type": "AMOUNT", "amount_off": 5}})["effect"] == (
        "APPLY_TO_ORDER"
    )
    assert stack_tiers({"ids": ["a", "b"]}) == {"ids": ["a", "b"], "hierarchy_mode": "MANUAL"}
    for bad in (
        lambda: tier_discount(None),
        lambda: tier_discount({"discount": {"type": "PERCENT"}}),
        lambda: tier_name(" "),
        lambda: stack_tiers({"ids": []}),
        lambda: stack_tiers({"ids": ["a", "a"]}),
        lambda: stack_tiers({"ids": [str(n) for n in range(31)]}),
    ):
        with pytest.raises(InvalidPayload):
            bad()
