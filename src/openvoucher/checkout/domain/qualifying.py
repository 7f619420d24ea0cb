"""What a qualification's ``scenario``, ``options.filters`` and ``options.sorting_rule`` mean.

Pure. Docs: guides/checking-eligibility.mdx (scenarios, and how each treats a cart that does not
meet a bundle), spec ``QualificationsOption`` and the qualification request body.

Each scenario (:data:`SCENARIOS`) says which redeemables are candidates — the customer's own
codes (``wallet``), codes held by no one (``public``), promotion tiers, promotion stacks — and
how they are judged:

- ``FULL``: as a validation would (the cart must meet every rule);
- ``AUDIENCE``: on the customer profile only (dates, limits and customer rules: the cart
  does not have to meet the order and product rules, so upsell offers show);
- ``PRODUCTS``: only those that target an item in the cart (a discount applicable to it, or a
  rule requiring it), the cart not having to meet the rest; ``PRODUCTS_DISCOUNT`` only those
  whose discount is applicable to an item in the cart. The ``*_BY_CUSTOMER`` variants also
  judge the customer's rules and include the customer's own codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from openvoucher.catalog.domain import validation_rules as vrules
from openvoucher.kernel.errors import InvalidPayload

FULL, AUDIENCE, PRODUCTS, PRODUCTS_DISCOUNT = "FULL", "AUDIENCE", "PRODUCTS", "PRODUCTS_DISCOUNT"


@dataclass(frozen=True)
class Scenario:
    """Which redeemables a scenario looks at and how it judges them."""

    wallet: bool
    public: bool
    tiers: bool
    stacks: bool
    judge: str
    customer_rules: bool = True


SCENARIOS = {
    "ALL": Scenario(wallet=True, public=True, tiers=True, stacks=False, judge=FULL),
    "CUSTOMER_WALLET": Scenario(wallet=True, public=False, tiers=False, stacks=False, judge=FULL),
    "AUDIENCE_ONLY": Scenario(wallet=True, public=True, tiers=True, stacks=False, judge=AUDIENCE),
    "PRODUCTS": Scenario(
        wallet=False, public=True, tiers=True, stacks=False, judge=PRODUCTS, customer_rules=False
    ),
    "PRODUCTS_DISCOUNT": Scenario(
        wallet=False,
        public=True,
        tiers=True,
        stacks=False,
        judge=PRODUCTS_DISCOUNT,
        customer_rules=False,
    ),
    "PROMOTION_STACKS": Scenario(wallet=False, public=False, tiers=False, stacks=True, judge=FULL),
    "PRODUCTS_BY_CUSTOMER": Scenario(
        wallet=True, public=True, tiers=True, stacks=False, judge=PRODUCTS
    ),
    "PRODUCTS_DISCOUNT_BY_CUSTOMER": Scenario(
        wallet=True, public=True, tiers=True, stacks=False, judge=PRODUCTS_DISCOUNT
    ),
}
"""Voucherify's qualification scenarios (``ALL`` when none is given)."""

SORTING_RULES = ("DEFAULT", "BEST_DEAL", "LEAST_DEAL")
FILTER_FIELDS = (
    "resource_type",
    "resource_id",
    "campaign_id",
    "campaign_type",
    "category_id",
    "voucher_type",
    "code",
    "holder_role",
)
OPERATORS = ("$is", "$is_not", "$in", "$not_in", "$has_value", "$is_unknown")
HOLDER_ROLES = ("OWNER",)
"""Holder roles a filter may name (referral holders are not tracked per role here)."""


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", details)


def scenario_of(name: Any) -> Scenario:
    """The scenario named in the request (``ALL`` by default); 400 for an unknown name."""
    if name is None:
        return SCENARIOS["ALL"]
    if name not in SCENARIOS:
        raise _invalid(f"scenario must be one of {', '.join(SCENARIOS)}")
    return SCENARIOS[name]


def sorting_of(name: Any) -> str:
    """``options.sorting_rule`` (``DEFAULT`` when none); 400 for an unknown rule."""
    if name is None:
        return "DEFAULT"
    if name not in SORTING_RULES:
        raise _invalid(f"options.sorting_rule must be one of {', '.join(SORTING_RULES)}")
    return str(name)


def check_filters(filters: Any) -> dict[str, Any]:
    """``options.filters`` as stored: known fields with known operators; 400 otherwise."""
    if filters is None:
        return {}
    if not isinstance(filters, Mapping):
        raise _invalid("options.filters must be an object")
    junction = str(filters.get("junction") or "and").lower()
    if junction not in {"and", "or"}:
        raise _invalid("options.filters.junction must be AND or OR")
    checked: dict[str, Any] = {"junction": junction}
    for field, spec in filters.items():
        if field == "junction":
            continue
        if field not in FILTER_FIELDS:
            raise _invalid(f"options.filters.{field} is not a qualification filter")
        checked[field] = _conditions(field, spec)
    return checked


def _conditions(field: str, spec: Any) -> dict[str, Any]:
    conditions = (spec or {}).get("conditions") if isinstance(spec, Mapping) else None
    if not isinstance(conditions, Mapping) or not conditions:
        raise _invalid(f"options.filters.{field} needs conditions")
    for operator, values in conditions.items():
        if operator not in OPERATORS:
            raise _invalid(f"options.filters.{field}: unknown operator {operator}")
        if operator in {"$is", "$is_not", "$in", "$not_in"} and not isinstance(values, list):
            raise _invalid(f"options.filters.{field}.{operator} takes a list")
    if field == "holder_role":
        roles = {v for vs in conditions.values() if isinstance(vs, list) for v in vs}
        if roles - set(HOLDER_ROLES):
            raise _invalid("options.filters.holder_role: only OWNER is supported (not_supported)")
    return dict(conditions)


def _meets(value: Any, conditions: Mapping[str, Any]) -> bool:
    checks: dict[str, Callable[[Any], bool]] = {
        "$is": lambda vs: value in vs,
        "$is_not": lambda vs: value not in vs,
        "$in": lambda vs: value in vs,
        "$not_in": lambda vs: value not in vs,
        "$has_value": lambda _: value not in (None, ""),
        "$is_unknown": lambda _: value in (None, ""),
    }
    return all(checks[op](vs) for op, vs in conditions.items())


def passes(filters: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    """Whether a redeemable described by ``facts`` (one value per filter field) passes."""
    results = [_meets(facts.get(f), c) for f, c in filters.items() if f != "junction"]
    if not results:
        return True
    return any(results) if filters.get("junction") == "or" else all(results)


def customer_rules_only(assigned: vrules.Assigned | None) -> vrules.Assigned | None:
    """The rules with only their customer rules (all of which must hold); None when none is
    left. What ``AUDIENCE_ONLY`` and the ``*_BY_CUSTOMER`` scenarios judge."""
    if assigned is None:
        return None
    sets = tuple(s for s in (_customer_set(one) for one in assigned.sets) if s is not None)
    return replace(assigned, sets=sets) if sets else None


def _customer_set(rule_set: vrules.RuleSet) -> vrules.RuleSet | None:
    kept = {
        key: rule
        for key, rule in rule_set.rules.items()
        if key != "logic" and rule["name"] in vrules.CUSTOMER_RULES
    }
    if not kept:
        return None
    rules = {**kept, "logic": " and ".join(sorted(kept))}
    return replace(rule_set, rules=rules, applicable_to={})


def discount_targets(
    own: Sequence[Mapping[str, Any]], sets: Iterable[vrules.RuleSet]
) -> list[Mapping[str, Any]]:
    """What a discount is applicable to: the redeemable's own ``applicable_to`` and its rule
    sets' ``applicable_to.included`` (not the items a rule merely requires)."""
    found = list(own)
    for rule_set in sets:
        found += list((rule_set.applicable_to or {}).get("included") or [])
    return found


def required_items(sets: Iterable[vrules.RuleSet]) -> list[Mapping[str, Any]]:
    """The products, SKUs and collections the sets' item rules require in the cart (``$is`` /
    ``$in`` of ``product.id``, ``order.items.any`` …, at any depth)."""
    found: list[Mapping[str, Any]] = []
    for rule_set in sets:
        found += _required(rule_set.rules)
    return found


def _required(rules: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    for key, rule in rules.items():
        if key == "logic":
            continue
        if rule["name"] in vrules.PICKERS and rule["name"] != "order.items.none":
            for operator in ("$is", "$in"):
                found += [_entry(e) for e in rule["conditions"].get(operator) or []]
        found += _required(rule.get("rules") or {})
    return found


def _entry(entry: Any) -> Mapping[str, Any]:
    return {"id": entry} if isinstance(entry, str) else dict(entry)


def deal(entry: Mapping[str, Any]) -> int:
    """What a qualified redeemable takes off the order (for BEST_DEAL / LEAST_DEAL)."""
    order = entry.get("order") or {}
    value = order.get("total_applied_discount_amount")
    if value is None:
        value = order.get("applied_discount_amount")
    return int(value or 0)


def sort_entries(entries: list[dict[str, Any]], rule: str) -> list[dict[str, Any]]:
    """``DEFAULT`` keeps the order given (newest first); ``BEST_DEAL`` puts the biggest
    discount first, ``LEAST_DEAL`` the smallest (ties keep their order)."""
    if rule == "BEST_DEAL":
        return sorted(entries, key=lambda e: -deal(e))
    if rule == "LEAST_DEAL":
        return sorted(entries, key=deal)
    return entries
