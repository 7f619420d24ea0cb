"""Validation rules: checking a rule set when it is stored, and judging a redeemable against it.

A rule set's ``rules`` holds numbered rules (``{"1": {name, property?, conditions, rules?,
error?}, …, "logic": "1 and 2"}``). Each rule reads one value of the validation (the order's
amounts, items or metadata, the customer's metadata or segments, the redemptions already
made) and meets its ``conditions``; ``logic`` combines the results. Product rules
(``product.id``, ``sku.id``, ``order.items.any`` …) pick order items, and their sub-``rules``
judge the picked items.

A failed rule set names its first failed rule: a customer rule gives
``customer_rules_violated``, any other ``order_rules_violated``; the message is the rule's
``error.message``, else the rule set's, else none.

Pure: the caller reads the redemption counts and the customer (with the ids of the segments
it belongs to, under ``segments``) and hands them in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openvoucher.catalog.domain import rule_items, rule_logic
from openvoucher.catalog.domain.rule_logic import Node
from openvoucher.checkout.domain import items as item_level
from openvoucher.kernel.errors import InvalidPayload, VoucherifyError

Item = Mapping[str, Any]

AMOUNTS = ("order.amount", "order.total_amount", "order.initial_amount")
COUNTS = (
    "redemption.count.per_customer",
    "redemption.count.per_customer.daily",
    "redemption.count.per_customer.weekly",
    "redemption.count.per_customer.monthly",
    "redemption.count.daily",
    "redemption.count.weekly",
    "redemption.count.monthly",
)
CAMPAIGN_COUNTS = (
    "campaign.redemptions.count",
    "campaign.redemptions.count.daily",
    "campaign.redemptions.count.weekly",
    "campaign.redemptions.count.monthly",
    "campaign.redemptions.customers_count",
    "campaign.redemptions.customers_count.daily",
    "campaign.redemptions.customers_count.weekly",
    "campaign.redemptions.customers_count.monthly",
)
"""Budget rules counting the campaign's redemptions (``customers_count``: the customer's)."""
CAMPAIGN_SUMS = ("campaign.orders.amount", "campaign.orders.amount_discounted")
"""Budget rules summing the campaign's redeemed orders' amounts, or its discounts."""
PICKERS = {
    "product.id": "any",
    "sku.id": "any",
    "order.items.any": "any",
    "order.items.every": "every",
    "order.items.none": "none",
    "order.items.cheapest": "cheapest",
    "order.items.most_expensive": "most_expensive",
}
"""Rules that pick order items, and how."""
# What a rule reads from the (picked) items: ``quantity`` / ``amount`` add the items up,
# ``*_any`` holds when one item meets the conditions, ``*_each`` when every item does. The
# current names (``order.items.quantity`` … under ``order.items.any``) and the older
# ``product.*`` / ``sku.*`` forms read the same figures.
ITEM_VALUES = {
    "order.items.count": "quantity",
    "order.items.quantity": "quantity_any",
    "order.items.aggregated_quantity": "quantity",
    "order.items.price": "price_any",
    "order.items.aggregated_amount": "amount",
    "product.quantity": "quantity",
    "sku.quantity": "quantity",
    "order.items.price_any": "price_any",
    "order.items.price_each": "price_each",
    "product.price": "price_any",
    "sku.price": "price_any",
    "order.items.metadata": "metadata_each",
    "order.items.metadata_any": "metadata_any",
    "order.items.metadata_each": "metadata_each",
}
METADATA = {"order.metadata", "customer.metadata"}
SEGMENT = "customer.segment"
"""The customer is (``$is``/``$in``) or is not (``$is_not``/``$not_in``) in the segments."""
TALLIES = frozenset({*COUNTS, *CAMPAIGN_COUNTS, *CAMPAIGN_SUMS})
"""Rules comparing what past redemptions add up to (the caller reads these figures)."""
SUPPORTED = frozenset({*AMOUNTS, *TALLIES, *PICKERS, *ITEM_VALUES, *METADATA, SEGMENT})
NEEDS_PROPERTY = METADATA | {n for n in ITEM_VALUES if ".metadata" in n}
PICK_OPERATORS = {"$is", "$in", "$is_not", "$not_in"}
CUSTOMER_RULES = {
    "customer.metadata",
    SEGMENT,
    *[n for n in (*COUNTS, *CAMPAIGN_COUNTS) if ".per_customer" in n or "customers_count" in n],
}
TARGET_KINDS = {"product", "sku", item_level.COLLECTION}


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", details)


def _check_entry(entry: Any, name: str, where: str) -> dict[str, Any]:
    """A product/SKU named by a picking rule: an id string or ``{object, id, source_id}``."""
    if isinstance(entry, str):
        entry = {"id": entry}
    if not isinstance(entry, Mapping) or not (entry.get("id") or entry.get("source_id")):
        raise _invalid(f"{where}: each value must be an id or an object with id or source_id")
    kind = entry.get("object") or ("sku" if name.startswith("sku") else "product")
    if kind not in TARGET_KINDS:
        raise _invalid(f"{where}: object must be product, sku or products_collection")
    if kind == item_level.COLLECTION and not entry.get("id"):
        raise _invalid(f"{where}: a products_collection is named by its id")
    if entry.get("price_formula") is not None:  # not computed: never stored unused
        raise VoucherifyError("Not supported", f"{where}: price_formula", key="not_supported")
    return {**entry, "object": kind}


def _check_segments(conditions: dict[str, list[Any]], where: str) -> None:
    """A ``customer.segment`` rule: ``$is``/``$in``/``$is_not``/``$not_in`` of segment ids
    (or ``{id}`` objects), stored as ids."""
    if set(conditions) - PICK_OPERATORS:
        raise _invalid(f"{where}: rule {SEGMENT} takes only $is, $in, $is_not or $not_in")
    for operands in conditions.values():
        ids = [o.get("id") if isinstance(o, Mapping) else o for o in operands]
        if not ids or not all(isinstance(i, str) and i for i in ids):
            raise _invalid(f"{where}: rule {SEGMENT} takes segment ids")
        operands[:] = ids


def _check_rule(number: str, rule: Any, where: str) -> dict[str, Any]:
    where = f"{where}.{number}"
    if not isinstance(rule, Mapping) or not isinstance(rule.get("name"), str):
        raise _invalid(f"{where} must be an object with a name")
    name = rule["name"]
    if name not in SUPPORTED:
        raise _invalid(f"{where}: unknown or unsupported rule name {name}")
    if name in NEEDS_PROPERTY and not isinstance(rule.get("property"), str):
        raise _invalid(f"{where}: rule {name} needs a property")
    conditions = rule_logic.check_conditions(rule.get("conditions"), where)
    if name == SEGMENT:
        _check_segments(conditions, where)
    if name in PICKERS:
        if set(conditions) - PICK_OPERATORS:
            raise _invalid(f"{where}: rule {name} takes only $is, $in, $is_not or $not_in")
        for operands in conditions.values():
            operands[:] = [_check_entry(entry, name, where) for entry in operands]
    error = rule.get("error")
    if error is not None and not isinstance(error, Mapping):
        raise _invalid(f"{where}.error must be an object")
    return {
        "name": name,
        "property": rule.get("property"),
        "conditions": conditions,
        "rules": check_rules(rule.get("rules") or {}, f"{where}.rules"),
        **({"error": dict(error)} if error else {}),
    }


def check_rules(rules: Any, where: str = "rules") -> dict[str, Any]:
    """``rules`` checked and completed (``logic`` defaults to all rules); a 400 otherwise."""
    if not isinstance(rules, Mapping):
        raise _invalid(f"{where} must be an object")
    numbers = [key for key in rules if key != "logic"]
    for key in numbers:
        if not key.isdigit() or key.startswith("0"):
            raise _invalid(f"{where}: rule keys are numbers from 1, found '{key}'")
    checked: dict[str, Any] = {key: _check_rule(key, rules[key], where) for key in numbers}
    if not numbers:
        return checked
    logic = rules.get("logic")
    if logic is None or (isinstance(logic, str) and not logic.strip()):
        logic = rule_logic.default_logic(numbers)
    if not isinstance(logic, str):
        raise _invalid(f"{where}.logic must be a string")
    rule_logic.parse_logic(logic, numbers)
    checked["logic"] = logic
    return checked


def check_applicable_to(value: Any) -> dict[str, Any]:
    """``applicable_to`` of a rule set: ``{included, excluded, included_all}``."""
    value = value or {}
    if not isinstance(value, Mapping):
        raise _invalid("applicable_to must be an object")
    found: dict[str, Any] = {"included_all": bool(value.get("included_all"))}
    for key in ("included", "excluded"):
        entries = value.get(key) or []
        if not isinstance(entries, list):
            raise _invalid(f"applicable_to.{key} must be an array")
        found[key] = [_check_entry(e, "product", f"applicable_to.{key}") for e in entries]
    return {"excluded": found["excluded"], "included": found["included"], **found}


@dataclass(frozen=True)
class RuleSet:
    """One stored validation rule, as the evaluation needs it."""

    id: str
    rules: Mapping[str, Any]
    error_message: str | None = None
    applicable_to: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Assigned:
    """The rule sets a redeemable must meet, with what the caller read for them."""

    sets: tuple[RuleSet, ...]
    customer: Mapping[str, Any] | None = None
    order_metadata: Mapping[str, Any] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)
    """What past redemptions add up to, per :data:`TALLIES` rule name (redemptions made,
    or the campaign's order amounts and discounts)."""


@dataclass(frozen=True)
class Figures:
    """The order as this redeemable sees it."""

    initial_amount: int
    amount: int
    """Before this redeemable's discount (after the discounts the order came with)."""
    total_amount: int
    """After this redeemable's discount."""
    items: Sequence[Item] = ()
    members: item_level.Members = field(default_factory=dict)
    """The order's items in each product collection the rules name (see :func:`collections`)."""


@dataclass(frozen=True)
class Violation:
    """Why a redeemable fails its rules: the error key and the configured message, if any."""

    key: str
    message: str | None
    rule_id: str


def needs_segments(sets: Sequence[RuleSet]) -> bool:
    """Whether a set judges the customer's segments (the caller then reads them)."""
    return any(SEGMENT in _names(rule_set.rules) for rule_set in sets)


def counts_needed(sets: Sequence[RuleSet]) -> set[str]:
    """The :data:`TALLIES` rule names the sets use (the caller reads these figures)."""
    return {name for rule_set in sets for name in _names(rule_set.rules)} & TALLIES


def per_customer(name: str) -> bool:
    """Whether a tally counts only the customer's redemptions."""
    return ".per_customer" in name or "customers_count" in name


def _names(rules: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    for key, rule in rules.items():
        if key != "logic":
            found.append(rule["name"])
            found.extend(_names(rule.get("rules") or {}))
    return found


def violation(assigned: Assigned, figures: Figures) -> Violation | None:
    """The first violated rule set's violation, or None when every set holds."""
    for rule_set in assigned.sets:
        failed = _failed(rule_set.rules, _Scope(assigned, figures, list(figures.items)))
        if failed is not None:
            message = (failed.get("error") or {}).get("message") or rule_set.error_message
            customer = failed["name"] in CUSTOMER_RULES
            key = "customer_rules_violated" if customer else "order_rules_violated"
            return Violation(key, message, rule_set.id)
    return None


@dataclass(frozen=True)
class _Scope:
    assigned: Assigned
    figures: Figures
    items: list[Item]


def _failed(rules: Mapping[str, Any], scope: _Scope) -> Mapping[str, Any] | None:
    """The first failed rule when ``rules`` do not hold in ``scope``, else None."""
    numbers = [key for key in rules if key != "logic"]
    if not numbers:
        return None
    results = {key: _holds(rules[key], scope) for key in numbers}
    node: Node = rule_logic.parse_logic(rules["logic"], numbers)
    if node.holds(results):
        return None
    failed = [key for key in node.rules() if not results[key]]
    chosen: Mapping[str, Any] = rules[failed[0] if failed else numbers[0]]
    return chosen


def _holds(rule: Mapping[str, Any], scope: _Scope) -> bool:
    name = rule["name"]
    conditions = rule["conditions"]
    if name in PICKERS:
        return _picked(rule, scope)
    if name in ITEM_VALUES:
        return rule_items.item_value(ITEM_VALUES[name], rule, scope.items)
    if name == SEGMENT:
        return _in_segments(conditions, scope.assigned.customer)
    return rule_logic.satisfied(_value(rule, scope), conditions)


def _value(rule: Mapping[str, Any], scope: _Scope) -> Any:
    name = rule["name"]
    figures = scope.figures
    amounts = {
        "order.amount": figures.amount,
        "order.total_amount": figures.total_amount,
        "order.initial_amount": figures.initial_amount,
    }
    if name in amounts:
        return amounts[name]
    if name == "order.metadata":
        return scope.assigned.order_metadata.get(rule["property"])
    if name == "customer.metadata":
        customer = scope.assigned.customer or {}
        return (customer.get("metadata") or {}).get(rule["property"])
    if per_customer(name) and scope.assigned.customer is None:
        return None  # a per-customer limit cannot hold for an unknown customer
    # Tallies: what the redemptions so far add up to, and this one.
    this_one = {
        "campaign.orders.amount": figures.initial_amount,
        "campaign.orders.amount_discounted": figures.amount - figures.total_amount,
    }.get(name, 1)
    return int(scope.assigned.counts.get(name, 0)) + this_one


def _in_segments(conditions: Mapping[str, list[Any]], customer: Mapping[str, Any] | None) -> bool:
    """The customer's ``segments`` (ids) meet every condition; an unknown customer is in none."""
    inside = set((customer or {}).get("segments") or ())
    return all(bool(inside & set(ids)) == (op in {"$is", "$in"}) for op, ids in conditions.items())


def _matching(entries: Sequence[Mapping[str, Any]], scope: _Scope) -> list[Item]:
    members = scope.figures.members
    return [i for i in scope.items if any(item_level.matches(e, i, members) for e in entries)]


def _picked(rule: Mapping[str, Any], scope: _Scope) -> bool:
    """A picking rule: the items it names are (or are not) in the order, as its mode says."""
    how = PICKERS[rule["name"]]
    for operator, entries in rule["conditions"].items():
        matched = _matching(entries, scope)
        if operator in {"$is_not", "$not_in"} or how == "none":
            if matched:
                return False
            continue
        if how == "every" and (not scope.items or len(matched) != len(scope.items)):
            return False
        if how in {"cheapest", "most_expensive"}:
            matched = rule_items.extreme(scope.items, how, matched)
        if not matched:
            return False
        inner = _Scope(scope.assigned, scope.figures, matched)
        if _failed(rule.get("rules") or {}, inner) is not None:
            return False
    return True
