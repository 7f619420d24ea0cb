"""What each voucher type adds to an evaluation: its own problems (a gift card without
credits, a loyalty card without points) and what it takes off the order. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from openvoucher.checkout.domain.discounts import gift_credits, order_discount
from openvoucher.loyalty.domain.rewards import payment

if TYPE_CHECKING:  # the records live with the evaluation, which imports this module
    from openvoucher.checkout.domain.redeemables import Requested, VoucherFacts


class Strategy(Protocol):
    """How one voucher type takes part in an order."""

    stage: int
    """0 for discounts, 1 for payments (applied after every discount)."""

    def problem(self, facts: VoucherFacts, request: Requested) -> str | None:
        """A type-specific reason it cannot apply (an error key), or None."""

    def apply(
        self, facts: VoucherFacts, request: Requested, remaining: int, items: Sequence[Any]
    ) -> tuple[int, int, dict[str, Any]]:
        """``(discount, credits, result)`` when applied to ``remaining``."""


class DiscountStrategy:
    """``DISCOUNT_VOUCHER``: AMOUNT, PERCENT (with amount_limit), FIXED, UNIT on the order."""

    stage = 0

    def problem(self, facts: VoucherFacts, request: Requested) -> str | None:
        """A discount voucher needs a discount and takes no credits or reward."""
        if not facts.discount or request.credits is not None or request.reward is not None:
            return "invalid_voucher"
        return None

    def apply(
        self, facts: VoucherFacts, request: Requested, remaining: int, items: Sequence[Any]
    ) -> tuple[int, int, dict[str, Any]]:
        """The discount on what is left of the order."""
        discount = dict(facts.discount or {})
        value = order_discount(discount, remaining, [dict(item) for item in items])
        return value, 0, {"discount": discount}


class GiftStrategy:
    """``GIFT_VOUCHER``: credits up to the balance and what is left to pay."""

    stage = 1

    def problem(self, facts: VoucherFacts, request: Requested) -> str | None:
        """Asking for more credits than the balance, or using an empty card, fails."""
        if request.reward is not None:
            return "invalid_voucher"
        wanted = request.credits
        if facts.gift_balance <= 0 or (wanted is not None and wanted > facts.gift_balance):
            return "gift_amount_exceeded"
        return None

    def apply(
        self, facts: VoucherFacts, request: Requested, remaining: int, items: Sequence[Any]
    ) -> tuple[int, int, dict[str, Any]]:
        """The credits it pays."""
        credits = gift_credits(facts.gift_balance, remaining, request.credits)
        return credits, credits, {"gift": {"credits": credits, "balance": facts.gift_balance}}


class LoyaltyCardStrategy:
    """``LOYALTY_CARD`` with ``reward: {id, points}`` of a COIN reward: the points pay part of
    the order at the reward's rate, after every discount (never more than is left to pay)."""

    stage = 1

    def problem(self, facts: VoucherFacts, request: Requested) -> str | None:
        """A reward of the card's programme and a positive number of points it holds."""
        reward = request.reward
        if not reward or not reward.get("id") or request.credits is not None:
            return "missing_reward"
        if str(reward["id"]) not in facts.coin_rewards:
            return "reward_not_found"
        points = reward.get("points")
        if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
            return "missing_reward"
        if points > facts.loyalty_balance:
            return "loyalty_card_points_exceeded"
        return None

    def apply(
        self, facts: VoucherFacts, request: Requested, remaining: int, items: Sequence[Any]
    ) -> tuple[int, int, dict[str, Any]]:
        """The amount the points pay; ``result.loyalty_card.points`` is what they cost."""
        assert request.reward is not None
        offer = facts.coin_rewards[str(request.reward["id"])]
        spent, paid = payment(int(request.reward["points"]), remaining, offer["coin"])
        return paid, 0, {"loyalty_card": {"points": spent}}


STRATEGIES: dict[str, Strategy] = {
    "DISCOUNT_VOUCHER": DiscountStrategy(),
    "GIFT_VOUCHER": GiftStrategy(),
    "LOYALTY_CARD": LoyaltyCardStrategy(),
}
"""Voucher type → strategy."""
