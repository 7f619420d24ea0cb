"""The stacking engine: a stack of redeemables applied to an order under the stacking rules.

Pure. Validations, redemptions and qualifications all run :func:`evaluate`:

1. Every redeemable is checked on its own
   (:func:`openvoucher.checkout.domain.redeemables.check`, its targets and units); one that
   fails is ``INAPPLICABLE``.
2. The redeemables apply in the order the rules give (``REQUESTED_ORDER``, or
   ``CATEGORY_HIERARCHY``: lowest category ``hierarchy`` first, request order on ties).
3. When any checked redeemable has an exclusive category, the others that are neither exclusive
   nor joint are ``SKIPPED`` (``exclusion_rules_not_met``) wherever they stand; exclusive ones
   beyond the exclusive limits are ``SKIPPED`` too.
4. In that order, each redeemable — gift cards and loyalty cards included — applies on what the
   previous ones left: its validation rules are judged on that running order (``INAPPLICABLE``
   when violated); past the applicable or per-category limit it is ``SKIPPED``; in mode ALL,
   once one redeemable was inapplicable the later ones are ``SKIPPED``
   (``preceding_validation_failed``); one that takes nothing off is ``SKIPPED`` (``no_effect``)
   when the no-effect rule says so. Percent discounts are taken of the order before this request
   in the INITIAL_AMOUNT calculation mode; in products mode ONCE an item discounted by one
   redeemable is off limits to the next.

Outcomes are listed in the requested order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from openvoucher.catalog.domain import validation_rules as vrules
from openvoucher.checkout.domain import items as item_level
from openvoucher.checkout.domain import units
from openvoucher.checkout.domain.discounts import order_discount
from openvoucher.checkout.domain.order_totals import StepMode, Totals, item_step, padded
from openvoucher.checkout.domain.redeemables import (
    APPLICABLE,
    INAPPLICABLE,
    SKIPPED,
    STRATEGIES,
    Evaluation,
    OrderContext,
    Outcome,
    Requested,
    VoucherFacts,
    check,
)
from openvoucher.checkout.domain.stacking_policy import DEFAULT_POLICY, Category, Policy


def evaluate(
    requests: Sequence[Requested],
    facts: Mapping[str, VoucherFacts],
    order: OrderContext,
    now: datetime,
    policy: Policy = DEFAULT_POLICY,
) -> Evaluation:
    """Every request's outcome and the order's totals after the applicable ones.

    ``facts`` maps the requested ids (codes or voucher ids) to what is known of each voucher.
    """
    outcomes = [_checked(request, facts.get(request.id), now, order) for request in requests]
    sequence = policy.sequence([_categories(o) for o in outcomes])
    outcomes = _excluded(outcomes, sequence, policy)
    run = _Run(policy, order, _start(order))
    for index in sequence:
        outcomes[index] = run.step(outcomes[index])
    return Evaluation(outcomes, _final(run.totals, order), partial=policy.partial)


def _categories(outcome: Outcome) -> tuple[Category, ...]:
    return outcome.facts.categories if outcome.facts is not None else ()


def _start(order: OrderContext) -> Totals:
    """The order's figures before this request's redeemables (its own discounts kept)."""
    prior = order.prior_item_discounts()
    zeros = (0,) * len(prior)
    return Totals(order.amount, order.prior_discount, 0, prior, zeros, tuple(order.items))


def _final(totals: Totals, order: OrderContext) -> Totals:
    """The totals after the request, with what the request (not the last step) applied."""
    prior = padded(order.prior_item_discounts(), len(totals.item_discounts))
    applied = tuple(now - before for now, before in zip(totals.item_discounts, prior, strict=True))
    return Totals(
        totals.amount,
        totals.discount_amount,
        totals.discount_amount - order.prior_discount,
        totals.item_discounts,
        applied,
        totals.items,
    )


def _checked(
    request: Requested, facts: VoucherFacts | None, now: datetime, order: OrderContext
) -> Outcome:
    """The redeemable checked on its own (validation rules wait for the running order)."""
    if facts is not None and facts.object != request.object:
        facts = None
    problem = check(facts, request, now)
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


def _skip(outcome: Outcome, reason: str) -> Outcome:
    return replace(outcome, status=SKIPPED, error=reason, order=None)


def _excluded(outcomes: list[Outcome], sequence: list[int], policy: Policy) -> list[Outcome]:
    """Exclusive categories: the others skipped, and the exclusive ones within their limits."""
    candidates = [i for i in sequence if outcomes[i].status == APPLICABLE]
    if not any(policy.exclusive(_categories(outcomes[i])) for i in candidates):
        return outcomes
    changed = list(outcomes)
    taken = 0
    per_category: dict[str, int] = {}
    for i in candidates:
        categories = _categories(outcomes[i])
        if not policy.exclusive(categories):
            if not policy.joint(categories):
                changed[i] = _skip(outcomes[i], "exclusion_rules_not_met")
            continue
        mine = [c.id for c in categories if c.id in policy.exclusive_categories]
        if taken >= policy.applicable_exclusive_redeemables_limit:
            changed[i] = _skip(outcomes[i], "applicable_exclusive_redeemables_limit_exceeded")
        elif any(
            per_category.get(c, 0) >= policy.applicable_exclusive_redeemables_per_category_limit
            for c in mine
        ):
            changed[i] = _skip(
                outcomes[i], "applicable_exclusive_redeemables_per_category_limit_exceeded"
            )
        else:
            taken += 1
            for c in mine:
                per_category[c] = per_category.get(c, 0) + 1
    return changed


@dataclass
class _Run:
    """The running order and the counters the limits read, as redeemables apply one by one."""

    policy: Policy
    order: OrderContext
    totals: Totals
    applied: int = 0
    per_category: dict[str, int] = field(default_factory=dict)
    failed: bool = False

    def step(self, outcome: Outcome) -> Outcome:
        """The outcome of one redeemable at its place in the application order."""
        if outcome.status != APPLICABLE or outcome.facts is None:
            self.failed = self.failed or outcome.status == INAPPLICABLE
            return outcome
        if self.failed and not self.policy.partial:
            return _skip(outcome, "preceding_validation_failed")
        applied, after = self._apply(outcome)
        violated = self._violation(outcome, after)
        if violated is not None:
            self.failed = True
            return Outcome(
                outcome.request,
                outcome.facts,
                INAPPLICABLE,
                error=violated.key,
                rule_message=violated.message,
            )
        reason = self._limit(outcome.facts.categories)
        if reason is None and _no_effect(applied) and self._skips_no_effect(outcome):
            reason = "no_effect"
        if reason is not None:
            return _skip(outcome, reason)
        self._count(outcome.facts.categories)
        self.totals = after
        return applied

    def _apply(self, outcome: Outcome) -> tuple[Outcome, Totals]:
        """The redeemable applied on what the previous ones left."""
        facts = outcome.facts
        assert facts is not None
        initial = self.policy.initial_amount(facts.categories)
        if facts.type == "DISCOUNT_VOUCHER" and item_level.is_item_level(facts.discount):
            return self._item_step(outcome, facts, initial)
        remaining = self.totals.total_amount
        strategy = STRATEGIES[facts.type]
        discount, credits, result = strategy.apply(
            facts, outcome.request, remaining, self.order.items
        )
        if initial and facts.type == "DISCOUNT_VOUCHER":
            discount = self._of_initial(facts, remaining)
        totals = self.totals
        after = Totals(
            totals.amount,
            totals.discount_amount + discount,
            discount,
            totals.item_discounts,
            (0,) * len(totals.items),
            totals.items,
        )
        changed = Outcome(
            outcome.request, facts, APPLICABLE, None, discount, credits, result, after
        )
        return changed, after

    def _of_initial(self, facts: VoucherFacts, remaining: int) -> int:
        """An order discount taken of the order before this request, within what is left."""
        start = _start(self.order).total_amount
        value = order_discount(facts.discount or {}, start, self.order.items)
        return min(value, remaining)

    def _item_step(
        self, outcome: Outcome, facts: VoucherFacts, initial: bool
    ) -> tuple[Outcome, Totals]:
        """An item-level discount, bent by the products mode and the calculation mode."""
        mode = StepMode(
            self._closed(), self._initial_left() if initial else None, facts.item_formulas
        )
        lists = (facts.applicable_to, facts.inapplicable_to, facts.members)
        after = item_step(facts.discount or {}, self.totals, self.order.catalog, lists, mode)
        result = {"discount": units.described(facts.discount or {}, self.order.catalog)}
        applied = sum(after.item_applied)
        changed = Outcome(outcome.request, facts, APPLICABLE, None, applied, 0, result, after)
        return changed, after

    def _closed(self) -> tuple[bool, ...]:
        """Products mode ONCE: the items this request already discounted."""
        if not self.policy.once:
            return ()
        prior = padded(self.order.prior_item_discounts(), len(self.totals.item_discounts))
        return tuple(
            now > before for now, before in zip(self.totals.item_discounts, prior, strict=True)
        )

    def _initial_left(self) -> tuple[int, ...]:
        """What was left of each item before this request."""
        prior = self.order.prior_item_discounts()
        return tuple(
            max(int(item.get("amount") or 0) - done, 0)
            for item, done in zip(self.order.items, prior, strict=True)
        )

    def _violation(self, outcome: Outcome, after: Totals) -> vrules.Violation | None:
        """The redeemable's validation rules, judged on the running order and its own effect."""
        assert outcome.facts is not None
        assigned = _assigned(outcome.request, outcome.facts)
        if assigned is None:
            return None
        figures = vrules.Figures(
            self.order.amount,
            self.totals.total_amount,
            after.total_amount,
            self.totals.items,
            outcome.facts.members,
        )
        return vrules.violation(assigned, figures)

    def _limit(self, categories: Sequence[Category]) -> str | None:
        """The applicable limits this redeemable would pass, as a skip reason."""
        if self.applied >= self.policy.applicable_redeemables_limit:
            return "applicable_redeemables_limit_exceeded"
        for category in categories:
            if self.per_category.get(category.id, 0) >= self.policy.category_limit(category):
                return "applicable_redeemables_per_category_limit_exceeded"
        return None

    def _skips_no_effect(self, outcome: Outcome) -> bool:
        return outcome.facts is not None and self.policy.skips_no_effect(outcome.facts.categories)

    def _count(self, categories: Sequence[Category]) -> None:
        self.applied += 1
        for category in categories:
            self.per_category[category.id] = self.per_category.get(category.id, 0) + 1


def _no_effect(outcome: Outcome) -> bool:
    """Nothing taken off, nothing paid, no unit added."""
    order = outcome.order
    added = bool(order is not None and any(order.item_added))
    return outcome.discount == 0 and outcome.credits == 0 and not added


def _assigned(request: Requested, facts: VoucherFacts) -> vrules.Assigned | None:
    """The rules a redeemable must meet: its own (and its campaign's) and, for a loyalty card
    paying with a reward, those of the reward's assignment."""
    offer = facts.coin_rewards.get(str(request.reward.get("id"))) if request.reward else None
    extra: vrules.Assigned | None = (offer or {}).get("rules")
    if extra is None or facts.rules is None:
        return facts.rules or extra
    return replace(facts.rules, sets=(*facts.rules.sets, *extra.sets))
