"""A project's stacking rules as the stacking engine reads them: pure and typed.

:class:`Policy` holds every field of Voucherify's ``StackingRules`` (and the discount
calculation mode of the management API's rules); :func:`Policy.of` builds it from the stored
mapping. The engine (:mod:`openvoucher.checkout.domain.stacking`) asks it the questions below: which
categories are exclusive or joint, each category's limit, whether a redeemable without effect is
skipped, whether a percent discount is taken of the initial amount, and the application order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

NO_HIERARCHY = 1 << 30
"""Where a redeemable without a category sorts under CATEGORY_HIERARCHY (after every category)."""


@dataclass(frozen=True)
class Category:
    """A redeemable's category: its id and ``hierarchy`` (lower applies first)."""

    id: str
    hierarchy: int = 1


@dataclass(frozen=True)
class Policy:
    """The stacking rules in force (Voucherify's defaults unless the project set its own)."""

    redeemables_limit: int = 30
    applicable_redeemables_limit: int = 5
    applicable_redeemables_per_category_limit: int = 1
    applicable_redeemables_category_limits: Mapping[str, int] = field(default_factory=dict)
    applicable_exclusive_redeemables_limit: int = 1
    applicable_exclusive_redeemables_per_category_limit: int = 1
    exclusive_categories: frozenset[str] = frozenset()
    joint_categories: frozenset[str] = frozenset()
    redeemables_application_mode: str = "ALL"
    redeemables_sorting_rule: str = "REQUESTED_ORDER"
    redeemables_products_application_mode: str = "STACK"
    redeemables_no_effect_rule: str = "REDEEM_ANYWAY"
    no_effect_skip_categories: frozenset[str] = frozenset()
    no_effect_redeem_anyway_categories: frozenset[str] = frozenset()
    discount_calculation_mode: str = "DISCOUNTED_AMOUNT"
    initial_amount_mode_categories: frozenset[str] = frozenset()
    discounted_amount_mode_categories: frozenset[str] = frozenset()
    redeemables_rollback_order_mode: str = "WITH_ORDER"

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> Policy:
        """The policy of a stored rules mapping (absent or null fields keep the default)."""
        known = {f.name for f in fields(cls)}
        values = {
            name: _typed(value)
            for name, value in raw.items()
            if name in known and value is not None
        }
        return cls(**values)

    @property
    def partial(self) -> bool:
        """PARTIAL: inapplicable redeemables are left out, the others still apply."""
        return self.redeemables_application_mode == "PARTIAL"

    @property
    def once(self) -> bool:
        """ONCE: an item discounted by one redeemable is not discounted by the next."""
        return self.redeemables_products_application_mode == "ONCE"

    def exclusive(self, categories: Iterable[Category]) -> bool:
        """Whether a redeemable with ``categories`` is exclusive (never stackable)."""
        return any(c.id in self.exclusive_categories for c in categories)

    def joint(self, categories: Iterable[Category]) -> bool:
        """Whether a redeemable with ``categories`` is joint (always stackable)."""
        return any(c.id in self.joint_categories for c in categories)

    def category_limit(self, category: Category) -> int:
        """How many redeemables of ``category`` may apply in one request."""
        own = self.applicable_redeemables_category_limits.get(category.id)
        if own is not None:
            return own
        if category.id in self.exclusive_categories:
            return self.applicable_exclusive_redeemables_per_category_limit
        return self.applicable_redeemables_per_category_limit

    def skips_no_effect(self, categories: Sequence[Category]) -> bool:
        """Whether a redeemable that changes nothing is skipped (else redeemed anyway)."""
        if not categories or not (
            self.no_effect_skip_categories or self.no_effect_redeem_anyway_categories
        ):
            return self.redeemables_no_effect_rule == "SKIP"
        ids = {c.id for c in categories}
        if ids & self.no_effect_skip_categories:
            return True
        if ids & self.no_effect_redeem_anyway_categories:
            return False
        return self.redeemables_no_effect_rule == "SKIP"

    def initial_amount(self, categories: Sequence[Category]) -> bool:
        """Whether a percent discount is taken of the amount before this request's discounts."""
        if not categories or not (
            self.initial_amount_mode_categories or self.discounted_amount_mode_categories
        ):
            return self.discount_calculation_mode == "INITIAL_AMOUNT"
        ids = {c.id for c in categories}
        if ids & self.initial_amount_mode_categories:
            return True
        if ids & self.discounted_amount_mode_categories:
            return False
        return self.discount_calculation_mode == "INITIAL_AMOUNT"

    def sequence(self, categories: Sequence[Sequence[Category]]) -> list[int]:
        """The order the requested redeemables (their categories, in request order) apply in."""
        indices = list(range(len(categories)))
        if self.redeemables_sorting_rule != "CATEGORY_HIERARCHY":
            return indices
        return sorted(indices, key=lambda i: (_rank(categories[i]), i))


def _typed(value: Any) -> Any:
    """Lists as sets of ids, mappings as id → limit, the rest as stored."""
    if isinstance(value, list):
        return frozenset(str(v) for v in value)
    if isinstance(value, Mapping):
        return {str(k): int(v) for k, v in value.items()}
    return value


def _rank(categories: Sequence[Category]) -> int:
    return min((c.hierarchy for c in categories), default=NO_HIERARCHY)


DEFAULT_POLICY = Policy()
"""Voucherify's default stacking rules."""
