"""Referral program settings, conversions and the self-referral check (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from openvoucher.catalog.domain.validity import Validity
from openvoucher.checkout.domain.redeemables import Requested, VoucherFacts, check
from openvoucher.kernel.errors import InvalidPayload
from openvoucher.referrals.domain import referrals

NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)


def test_program_defaults_to_redemption() -> None:
    """An empty referral_program converts on redemptions, with no event and no referee reward."""
    assert referrals.program(None) == {
        "conversion_event_type": "redemption",
        "custom_event": None,
        "referee_reward": None,
    }


def test_custom_event_needs_a_name() -> None:
    """A custom-event conversion names its event; a redemption one takes none."""
    with pytest.raises(InvalidPayload):
        referrals.program({"conversion_event_type": "custom_event"})
    with pytest.raises(InvalidPayload):
        referrals.program({"custom_event": {"name": "x"}})
    settings = referrals.program(
        {"conversion_event_type": "custom_event", "custom_event": {"name": "signed_up"}}
    )
    assert referrals.converts_on_event(settings, "signed_up") is True
    assert referrals.converts_on_event(settings, "clicked") is False
    assert referrals.converts_on_redemption(settings) is False


@pytest.mark.parametrize(
    "reward",
    [
        {"type": "COUPON", "amount": 1, "related_object_parent": {"id": "camp_1"}},
        {"type": "LOYALTY_CARD", "amount": 0, "related_object_parent": {"id": "camp_1"}},
        {"type": "GIFT_VOUCHER", "amount": 5},
    ],
)
def test_bad_referee_rewards(reward: dict[str, object]) -> None:
    """A referee reward needs a known type, a positive amount and its campaign."""
    with pytest.raises(InvalidPayload):
        referrals.program({"referee_reward": reward})


def test_referrer_redeeming_own_code_is_refused() -> None:
    """The facts of a referral code held by the customer are marked and then refused."""
    fact = VoucherFacts(
        id="v_1",
        code="REF",
        type="DISCOUNT_VOUCHER",
        active=True,
        validity=Validity(),
        discount={"type": "AMOUNT", "amount_off": 100},
    )
    rows = {"v_1": {"holder_id": "cust_a", "campaign_attrs": {"is_referral_code": True}}}
    request = Requested("voucher", "REF")
    assert referrals.mark_referrers({"REF": fact}, rows, "cust_b")["REF"].by_referrer is False
    marked = referrals.mark_referrers({"REF": fact}, rows, "cust_a")["REF"]
    assert check(marked, request, NOW) == "referrer_not_permitted_to_redeem"
    assert check(fact, request, NOW) is None
