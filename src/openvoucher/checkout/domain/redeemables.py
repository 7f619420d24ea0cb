"""Redeemables one at a time: what is known of them, why one cannot apply, what it takes off.

Pure, given the vouchers' facts and ``now``. Each redeemable is checked (exists, enabled, valid
now, quantity left) and handed to the strategy of its voucher type, which says what it takes off
what is left of the order. The stacking engine (:mod:`openvoucher.checkout.domain.stacking`)
runs them in the order and within the limits of the project's stacking rules.

A voucher type without a strategy is inapplicable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from openvoucher.catalog.domain import validation_rules as vrules
from openvoucher.catalog.domain.validity import Validity
from openvoucher.checkout.domain import items as item_level
from openvoucher.checkout.domain import units
from openvoucher.checkout.domain.discounts import gift_credits, order_discount
from openvoucher.checkout.domain.order_totals import Totals
from openvoucher.checkout.domain.promotions import PROMOTION_TIER_ERRORS
from openvoucher.checkout.domain.stacking_policy import Category
from openvoucher.kernel.formula_env import ItemValues
from openvoucher.loyalty.domain.rewards import payment

APPLICABLE = "APPLICABLE"
INAPPLICABLE = "INAPPLICABLE"
SKIPPED = "SKIPPED"

MESSAGES = {
    "resource_not_found": "Resource not found",
    "voucher_disabled": "voucher is disabled",
    "voucher_not_active": "voucher not active yet",
    "voucher_expired": "voucher expired",
    "voucher_not_active_now": "voucher is not active now",
    "quantity_exceeded": "quantity exceeded",
    "gift_amount_exceeded": "gift amount exceeded",
    "invalid_voucher": "voucher cannot be redeemed this way",
    "missing_reward": "reward is missing",
    "reward_not_found": "reward not assigned to this loyalty program",
    "loyalty_card_points_exceeded": "loyalty card points exceeded",
    "applicable_redeemables_limit_exceeded": "Applicable redeemables limit exceeded",
    "applicable_redeemables_per_category_limit_exceeded": (
        "Applicable redeemables limit per category exceeded"
    ),
    "applicable_exclusive_redeemables_limit_exceeded": (
        "Applicable exclusive redeemables limit exceeded"
    ),
    "applicable_exclusive_redeemables_per_category_limit_exceeded": (
        "Applicable exclusive redeemables limit per category exceeded"
    ),
    "exclusion_rules_not_met": "Redeemable cannot be applied due to exclusion rules",
    "preceding_validation_failed": (
        "Redeemable cannot be applied due to preceding validation failure"
    ),
    "no_effect": "Redeemable cannot be applied due to no effect",
    "order_rules_violated": "order does not match validation rules",
    units.MISSING_PRODUCT: "product of the unit discount not found",
    "promotion_inactive": "promotion is inactive",
    "promotion_not_active_now": "promotion is not active now",
    "customer_rules_violated": "customer does not match validation rules",
    "referrer_not_permitted_to_redeem": "the referrer cannot redeem their own referral code",
}


@dataclass(frozen=True)
class Requested:
    """One entry of ``redeemables``: what the client asked to use."""

    object: str
    id: str
    credits: int | None = None
    reward: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class VoucherFacts:
    """What the evaluation needs to know about one voucher, read in the caller's transaction.

    ``used_quantity`` and ``gift_balance`` already account for what other sessions hold.
    """

    id: str
    code: str
    type: str
    active: bool
    validity: Validity
    campaign_active: bool = True
    campaign_validity: Validity | None = None
    quantity: int | None = None
    used_quantity: int = 0
    discount: Mapping[str, Any] | None = None
    gift_balance: int = 0
    loyalty_balance: int = 0
    coin_rewards: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Pay-with-points (COIN) rewards of a loyalty card's programme, by reward and
    assignment id: ``{reward_id, assignment_id, coin: {exchange_ratio, points_ratio}}``."""
    applicable_to: tuple[Mapping[str, Any], ...] = ()
    inapplicable_to: tuple[Mapping[str, Any], ...] = ()
    members: item_level.Members = field(default_factory=dict)
    """The order's items in each product collection the two lists name (by collection id)."""
    object: str = "voucher"
    """``voucher``, or ``promotion_tier`` for a tier (a ``DISCOUNT_VOUCHER`` with no code)."""
    rules: vrules.Assigned | None = None
    """The validation rules assigned to the voucher (or its campaign), if any."""
    by_referrer: bool = False
    """A referral code redeemed by its own referrer (refused)."""
    categories: tuple[Category, ...] = ()
    """The categories the stacking rules judge it by (its own, else its campaign's)."""
    item_formulas: ItemValues | None = None
    """A product discount's per-item formulas (``ORDER_ITEM_…``): an item and what is left of
    it → the discount's values for that item (``kernel.formula_env.item_formulas``)."""


@dataclass(frozen=True)
class Outcome:
    """The result for one requested redeemable (in the requested order)."""

    request: Requested
    facts: VoucherFacts | None
    status: str
    error: str | None = None
    discount: int = 0
    credits: int = 0
    result: dict[str, Any] = field(default_factory=dict)
    order: Totals | None = None
    rule_message: str | None = None
    """The message a violated validation rule configures (``error.error.message``)."""

    @property
    def message(self) -> str:
        """A readable reason for an inapplicable or skipped redeemable."""
        return MESSAGES.get(self.error or "", self.error or "")


@dataclass(frozen=True)
class Evaluation:
    """All outcomes and the resulting order totals."""

    outcomes: list[Outcome]
    totals: Totals
    partial: bool = False
    """Application mode PARTIAL: valid when any redeemable applies."""

    @property
    def valid(self) -> bool:
        """ALL: no redeemable is inapplicable; PARTIAL: at least one applies."""
        if self.partial:
            return bool(self.applicable)
        return all(o.status != INAPPLICABLE for o in self.outcomes) and bool(self.outcomes)

    @property
    def applicable(self) -> list[Outcome]:
        """The outcomes that apply."""
        return [o for o in self.outcomes if o.status == APPLICABLE]

    @property
    def inapplicable(self) -> list[Outcome]:
        """The outcomes that do not apply."""
        return [o for o in self.outcomes if o.status == INAPPLICABLE]

    @property
    def skipped(self) -> list[Outcome]:
        """The outcomes skipped by the stacking rules."""
        return [o for o in self.outcomes if o.status == SKIPPED]


@dataclass(frozen=True)
class OrderContext:
    """The order being evaluated: its amount, items and discounts applied before this request."""

    amount: int
    items: Sequence[Mapping[str, Any]] = ()
    prior_discount: int = 0
    catalog: units.Catalog = field(default_factory=dict)
    """The products and SKUs UNIT discounts name, by ``unit_type`` (see :mod:`units`)."""

    def prior_item_discounts(self) -> tuple[int, ...]:
        """Each item's discounts the order came with."""
        return tuple(
            int(item.get("discount_amount") or 0) + int(item.get("applied_discount_amount") or 0)
            for item in self.items
        )


class Strategy(Protocol):
    """How one voucher type takes part in an order."""

    def problem(self, facts: VoucherFacts, request: Requested) -> str | None:
        """A type-specific reason it cannot apply (an error key), or None."""

    def apply(
        self, facts: VoucherFacts, request: Requested, remaining: int, items: Sequence[Any]
    ) -> tuple[int, int, dict[str, Any]]:
        """``(discount, credits, result)`` when applied to ``remaining``."""


class DiscountStrategy:
    """``DISCOUNT_VOUCHER``: AMOUNT, PERCENT (with amount_limit), FIXED, UNIT on the order."""

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
        value = order_discount(discount, remaining, items)
        return value, 0, {"discount": discount}


class GiftStrategy:
    """``GIFT_VOUCHER``: credits up to the balance and what is left to pay."""

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


def common_problem(facts: VoucherFacts | None, now: datetime) -> str | None:
    """Why any voucher cannot be used at ``now``: missing, disabled, out of dates, used up."""
    if facts is None:
        return "resource_not_found"
    if not facts.active or not facts.campaign_active:
        return "voucher_disabled"
    problem = facts.validity.problem(now)
    if problem is None and facts.campaign_validity is not None:
        problem = facts.campaign_validity.problem(now)
    if problem is not None:
        return problem
    if facts.quantity is not None and facts.used_quantity >= facts.quantity:
        return "quantity_exceeded"
    if facts.type not in STRATEGIES:
        return "invalid_voucher"
    return None


def check(facts: VoucherFacts | None, request: Requested, now: datetime) -> str | None:
    """The first reason ``request`` cannot apply, or None."""
    problem = common_problem(facts, now)
    if problem is None and facts is not None and facts.by_referrer:
        problem = "referrer_not_permitted_to_redeem"
    if problem is None and facts is not None:
        problem = STRATEGIES[facts.type].problem(facts, request)
    if problem is not None and facts is not None and facts.object == "promotion_tier":
        return PROMOTION_TIER_ERRORS.get(problem, problem)
    return problem
