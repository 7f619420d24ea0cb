"""Evaluating a stack of redeemables against an order: pure, given the vouchers' facts and ``now``.

Validations, redemptions and qualifications all run :func:`evaluate`. Each redeemable is checked
(exists, enabled, valid now, quantity left) and then handed to the strategy of its voucher type,
which says what it takes off the order. Discounts apply first, in the requested order, each on
what the previous ones left; payment-like redeemables (gift cards, later loyalty cards paying
with points) apply after all discounts, up to what is left to pay.

A voucher type without a strategy is inapplicable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from openvoucher.catalog.domain import validation_rules as vrules
from openvoucher.catalog.domain.validity import Validity
from openvoucher.checkout.domain import items as item_level
from openvoucher.checkout.domain import units
from openvoucher.checkout.domain.discounts import gift_credits, order_discount
from openvoucher.checkout.domain.order_totals import Totals, item_step, padded
from openvoucher.checkout.domain.promotions import PROMOTION_TIER_ERRORS
from openvoucher.loyalty.domain.rewards import payment

MAX_REDEEMABLES = 30
APPLICABLE_LIMIT = 5

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
    by_referrer: bool = False
    """A referral code redeemed by its own referrer (refused)."""
    """The validation rules assigned to the voucher (or its campaign), if any."""


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

    @property
    def valid(self) -> bool:
        """True when every redeemable applies (application mode ALL)."""
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


def evaluate(
    requests: Sequence[Requested],
    facts: Mapping[str, VoucherFacts],
    order: OrderContext,
    now: datetime,
) -> Evaluation:
    """Check every request, then apply the applicable ones: discounts first, then payments.

    ``facts`` maps the requested ids (codes or voucher ids) to what is known of each voucher.
    """
    outcomes = [_checked(request, facts.get(request.id), now, order) for request in requests]
    outcomes = _limit(outcomes)
    prior_items = order.prior_item_discounts()
    totals = _start(order)
    for stage in (0, 1):
        for index, outcome in enumerate(outcomes):
            if outcome.status != APPLICABLE or outcome.facts is None:
                continue
            if STRATEGIES[outcome.facts.type].stage != stage:
                continue
            outcomes[index], totals = _step(outcome, totals, order)
    applied = totals.discount_amount - order.prior_discount
    prior = padded(prior_items, len(totals.item_discounts))
    items_applied = tuple(
        now_ - before for now_, before in zip(totals.item_discounts, prior, strict=True)
    )
    final = Totals(
        totals.amount,
        totals.discount_amount,
        applied,
        totals.item_discounts,
        items_applied,
        totals.items,
    )
    return Evaluation(outcomes, final)


def _start(order: OrderContext) -> Totals:
    """The order's figures before this request's redeemables (its own discounts kept)."""
    prior = order.prior_item_discounts()
    zeros = (0,) * len(prior)
    return Totals(order.amount, order.prior_discount, 0, prior, zeros, tuple(order.items))


def _step(outcome: Outcome, totals: Totals, order: OrderContext) -> tuple[Outcome, Totals]:
    """Apply one redeemable on what ``totals`` left: to the items or to the order."""
    assert outcome.facts is not None
    facts = outcome.facts
    none = (0,) * len(totals.items)
    if facts.type == "DISCOUNT_VOUCHER" and item_level.is_item_level(facts.discount):
        lists = (facts.applicable_to, facts.inapplicable_to, facts.members)
        after = item_step(facts.discount or {}, totals, order.catalog, lists)
        result = {"discount": units.described(facts.discount or {}, order.catalog)}
        discount = sum(after.item_applied)
        return replace(outcome, discount=discount, result=result, order=after), after
    strategy = STRATEGIES[facts.type]
    discount, credits, result = strategy.apply(
        facts, outcome.request, totals.total_amount, order.items
    )
    after = Totals(
        totals.amount,
        totals.discount_amount + discount,
        discount,
        totals.item_discounts,
        none,
        totals.items,
    )
    changed = replace(outcome, discount=discount, credits=credits, result=result, order=after)
    return changed, after


def _checked(
    request: Requested, facts: VoucherFacts | None, now: datetime, order: OrderContext
) -> Outcome:
    if facts is not None and facts.object != request.object:
        facts = None
    problem = check(facts, request, now)
    assigned = _assigned(request, facts) if problem is None else None
    if assigned is not None and facts is not None:
        violated = _rules_violation(request, facts, order, assigned)
        if violated is not None:
            return Outcome(
                request, facts, INAPPLICABLE, error=violated.key, rule_message=violated.message
            )
    if problem is None and facts is not None and facts.applicable_to:
        chosen = item_level.targets(
            order.items, facts.applicable_to, facts.inapplicable_to, facts.members
        )
        if not chosen.indices():
            problem = "order_rules_violated"
    if problem is None and facts is not None:
        problem = units.problem(facts.discount, order.items, order.catalog)
    if problem is not None:
        return Outcome(request, facts, INAPPLICABLE, error=problem)
    return Outcome(request, facts, APPLICABLE)


def _assigned(request: Requested, facts: VoucherFacts | None) -> vrules.Assigned | None:
    """The rules a redeemable must meet: its own (and its campaign's) and, for a loyalty card
    paying with a reward, those of the reward's assignment."""
    if facts is None:
        return None
    offer = facts.coin_rewards.get(str(request.reward.get("id"))) if request.reward else None
    extra: vrules.Assigned | None = (offer or {}).get("rules")
    if extra is None or facts.rules is None:
        return facts.rules or extra
    return replace(facts.rules, sets=(*facts.rules.sets, *extra.sets))


def _rules_violation(
    request: Requested, facts: VoucherFacts, order: OrderContext, assigned: vrules.Assigned
) -> vrules.Violation | None:
    """The redeemable's validation rules judged on the order before and after its own discount."""
    start = _start(order)
    _, after = _step(Outcome(request, facts, APPLICABLE), start, order)
    figures = vrules.Figures(
        order.amount, start.total_amount, after.total_amount, order.items, facts.members
    )
    return vrules.violation(assigned, figures)


def _limit(outcomes: list[Outcome]) -> list[Outcome]:
    """Beyond ``APPLICABLE_LIMIT`` applicable redeemables, the rest are skipped."""
    seen = 0
    limited = []
    for outcome in outcomes:
        seen += outcome.status == APPLICABLE
        if outcome.status == APPLICABLE and seen > APPLICABLE_LIMIT:
            limited.append(
                replace(outcome, status=SKIPPED, error="applicable_redeemables_limit_exceeded")
            )
        else:
            limited.append(outcome)
    return limited
