"""Validation rules, pure: checking rule sets, the logic expression, and judging orders."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from openvoucher.catalog.domain import rule_reads
from openvoucher.catalog.domain import validation_rules as vr
from openvoucher.catalog.domain.rule_logic import parse_logic
from openvoucher.kernel.errors import InvalidPayload

ITEMS = [
    {"product_id": "prod_a", "quantity": 2, "price": 1000, "amount": 2000},
    {"product_id": "prod_b", "sku_id": "sku_b1", "quantity": 1, "price": 3000, "amount": 3000},
]


def _set(rules: dict[str, Any], message: str | None = None, **extra: Any) -> vr.RuleSet:
    return vr.RuleSet("val_1", vr.check_rules(rules), message, **extra)


def _judge(
    rule_set: vr.RuleSet,
    *,
    amount: int = 5000,
    total: int | None = None,
    items: list[dict[str, Any]] | None = None,
    customer: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    counts: dict[str, int] | None = None,
) -> vr.Violation | None:
    assigned = vr.Assigned((rule_set,), customer, metadata or {}, counts or {})
    figures = vr.Figures(amount, amount, amount if total is None else total, items or ITEMS)
    return vr.violation(assigned, figures)


def test_logic_precedence_and_parentheses() -> None:
    """``and`` binds tighter than ``or``; parentheses regroup."""
    results = {"1": False, "2": True, "3": True}
    assert parse_logic("1 and 2 or 3", ["1", "2", "3"]).holds(results) is True
    assert parse_logic("1 AND (2 OR 3)", ["1", "2", "3"]).holds(results) is False


@pytest.mark.parametrize(
    ("logic", "reason"),
    [
        ("1 and 4", "rule 4, which is not defined"),
        ("(1 and 2", "missing ')'"),
        ("1 xor 2", "cannot read"),
        ("1 2", "unexpected '2'"),
    ],
)
def test_bad_logic_is_refused(logic: str, reason: str) -> None:
    """A logic naming unknown rules or malformed is a 400 saying why."""
    rules = {
        "1": {"name": "order.amount", "conditions": {"$more_than": [1]}},
        "2": {"name": "order.amount", "conditions": {"$less_than": [9]}},
        "logic": logic,
    }
    with pytest.raises(InvalidPayload) as error:
        vr.check_rules(rules)
    assert reason in error.value.details


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ({"name": "order.amout", "conditions": {"$is": [1]}}, "unknown or unsupported rule"),
        ({"name": "customer.segment", "conditions": {"$more_than": [1]}}, "takes only $is"),
        ({"name": "customer.segment", "conditions": {"$in": [{"name": "x"}]}}, "segment ids"),
        ({"name": "redemption.gift.amount", "conditions": {"$is": [1]}}, "unsupported rule"),
        ({"name": "order.amount", "conditions": {"$between": [1]}}, "$between is not supported"),
        ({"name": "order.metadata", "conditions": {"$is": ["x"]}}, "needs a property"),
        (
            {
                "name": "product.id",
                "conditions": {"$is": [{"source_id": "pc", "object": "products_collection"}]},
            },
            "named by its id",
        ),
        ({"name": "product.id", "conditions": {"$more_than": [1]}}, "takes only $is"),
    ],
)
def test_bad_rules_are_refused(rule: dict[str, Any], reason: str) -> None:
    """Unknown names, bad segment rules, unsupported operators and collections are 400s."""
    with pytest.raises(InvalidPayload) as error:
        vr.check_rules({"1": rule})
    assert reason in error.value.details


def test_missing_logic_means_all_rules() -> None:
    """Without ``logic`` every rule must hold."""
    checked = vr.check_rules(
        {
            "1": {"name": "order.amount", "conditions": {"$more_than": 1}},
            "2": {"name": "order.items.count", "conditions": {"$is": [3]}},
        }
    )
    assert checked["logic"] == "1 and 2"
    assert checked["1"]["conditions"] == {"$more_than": [1]}
    assert checked["2"]["rules"] == {}


def test_amount_rules_and_messages() -> None:
    """A failed order rule is order_rules_violated with the rule's message, else the set's."""
    rules = {
        "1": {
            "name": "order.amount",
            "conditions": {"$more_than_or_equal": [5000]},
            "error": {"message": "Spend 50 or more"},
        },
        "2": {"name": "order.total_amount", "conditions": {"$more_than": [4000]}},
        "logic": "1 and 2",
    }
    rule_set = _set(rules, "Fallback")
    assert _judge(rule_set, amount=5000, total=4500) is None
    assert _judge(rule_set, amount=4999, total=4500) == vr.Violation(
        "order_rules_violated", "Spend 50 or more", "val_1"
    )
    assert _judge(rule_set, amount=5000, total=4000) == vr.Violation(
        "order_rules_violated", "Fallback", "val_1"
    )


def test_or_logic_passes_when_one_side_holds() -> None:
    """``1 or 2`` holds when only the second rule holds."""
    rules = {
        "1": {"name": "order.metadata", "property": "shop", "conditions": {"$is": ["north"]}},
        "2": {"name": "order.items.count", "conditions": {"$more_than": [2]}},
        "logic": "1 or 2",
    }
    assert _judge(_set(rules), metadata={"shop": "south"}) is None  # 3 units in ITEMS
    assert _judge(_set(rules), metadata={"shop": "north"}, items=ITEMS[:1]) is None
    failed = _judge(_set(rules), metadata={"shop": "south"}, items=ITEMS[:1])
    assert failed is not None
    assert failed.key == "order_rules_violated"


def test_customer_rules() -> None:
    """customer.metadata failing is customer_rules_violated; no customer fails it too."""
    rules = {
        "1": {
            "name": "customer.metadata",
            "property": "tier",
            "conditions": {"$in": ["gold", "vip"]},
        }
    }
    assert _judge(_set(rules), customer={"id": "c", "metadata": {"tier": "vip"}}) is None
    failed = _judge(_set(rules), customer={"id": "c", "metadata": {"tier": "basic"}})
    assert failed == vr.Violation("customer_rules_violated", None, "val_1")
    assert _judge(_set(rules)) == vr.Violation("customer_rules_violated", None, "val_1")


def test_segment_rules() -> None:
    """customer.segment: $in needs one of the segments, $not_in none of them; ids or objects."""
    inside = {"1": {"name": "customer.segment", "conditions": {"$in": ["seg_a", {"id": "seg_b"}]}}}
    outside = {"1": {"name": "customer.segment", "conditions": {"$not_in": ["seg_x"]}}}
    assert vr.needs_segments([_set(inside)]) is True
    assert (
        vr.needs_segments([_set({"1": {"name": "order.amount", "conditions": {"$is": 1}}})])
        is False
    )
    member = {"id": "c", "metadata": {}, "segments": ["seg_b"]}
    stranger = {"id": "c", "metadata": {}, "segments": ["seg_x"]}
    assert _judge(_set(inside), customer=member) is None
    failed = _judge(_set(inside), customer=stranger)
    assert failed == vr.Violation("customer_rules_violated", None, "val_1")
    assert _judge(_set(inside)) == vr.Violation("customer_rules_violated", None, "val_1")
    assert _judge(_set(outside), customer=member) is None
    assert _judge(_set(outside), customer=stranger) is not None
    assert _judge(_set(outside)) is None


def test_redemption_counts_include_this_one() -> None:
    """``redemption.count.per_customer`` ≤ 2 allows a second redemption, not a third."""
    rules = {
        "1": {
            "name": "redemption.count.per_customer",
            "conditions": {"$less_than_or_equal": [2]},
            "error": {"message": "Twice per customer"},
        }
    }
    customer = {"id": "c", "metadata": {}}
    rule_set = _set(rules)
    assert vr.counts_needed([rule_set]) == {"redemption.count.per_customer"}
    assert _judge(rule_set, customer=customer, counts={"redemption.count.per_customer": 1}) is None
    third = _judge(rule_set, customer=customer, counts={"redemption.count.per_customer": 2})
    assert third == vr.Violation("customer_rules_violated", "Twice per customer", "val_1")


def test_product_rules_with_subrules() -> None:
    """product.id picks its items; product.quantity and product.price judge the picked ones."""
    rules = {
        "1": {
            "name": "product.id",
            "conditions": {"$is": ["prod_a"]},
            "rules": {
                "1": {"name": "product.quantity", "conditions": {"$more_than_or_equal": [2]}},
                "2": {"name": "product.price", "conditions": {"$less_than": [1500]}},
                "logic": "1 and 2",
            },
        }
    }
    assert _judge(_set(rules)) is None
    one = [{**ITEMS[0], "quantity": 1, "amount": 1000}]
    assert _judge(_set(rules), items=one) is not None
    assert _judge(_set(rules), items=ITEMS[1:]) is not None


@pytest.mark.parametrize(
    ("name", "operator", "target", "holds"),
    [
        ("order.items.any", "$is", {"id": "prod_b", "object": "product"}, True),
        ("order.items.every", "$is", {"id": "prod_b", "object": "product"}, False),
        ("order.items.none", "$is", {"id": "prod_b", "object": "product"}, False),
        ("order.items.none", "$is", {"id": "prod_z", "object": "product"}, True),
        ("order.items.cheapest", "$is", {"id": "prod_a", "object": "product"}, True),
        ("order.items.most_expensive", "$is", {"id": "prod_a", "object": "product"}, False),
        ("sku.id", "$is", {"id": "sku_b1", "object": "sku"}, True),
        ("sku.id", "$not_in", "sku_b1", False),
    ],
)
def test_item_picking_rules(name: str, operator: str, target: Any, holds: bool) -> None:
    """any / every / none / cheapest / most_expensive and sku.id judge the order's items."""
    rule_set = _set({"1": {"name": name, "conditions": {operator: [target]}}})
    assert (_judge(rule_set) is None) is holds


def test_targets_from_rules_and_applicable_to() -> None:
    """Product rules give the applicable items, unless the set lists applicable_to itself."""
    derived = _set(
        {
            "1": {"name": "product.id", "conditions": {"$in": ["prod_a"]}},
            "2": {"name": "order.items.none", "conditions": {"$is": [{"id": "prod_z"}]}},
        }
    )
    assert rule_reads.targets([derived]) == (
        [{"object": "product", "id": "prod_a"}],
        [{"object": "product", "id": "prod_z"}],
    )
    given = vr.check_applicable_to({"included": [{"object": "sku", "id": "sku_b1"}]})
    listed = vr.RuleSet("val_2", derived.rules, None, given)
    assert rule_reads.targets([listed]) == ([{"object": "sku", "id": "sku_b1"}], [])


def test_count_windows() -> None:
    """Daily from midnight, weekly from Monday, monthly from the 1st (UTC); totals from ever."""
    now = datetime(2024, 5, 16, 15, 30, tzinfo=UTC)  # a Thursday
    windows = rule_reads.count_windows(
        {
            "redemption.count.per_customer",
            "redemption.count.daily",
            "redemption.count.per_customer.weekly",
            "redemption.count.monthly",
        },
        now,
    )
    assert windows == {
        "redemption.count.daily": datetime(2024, 5, 16, tzinfo=UTC),
        "redemption.count.monthly": datetime(2024, 5, 1, tzinfo=UTC),
        "redemption.count.per_customer": None,
        "redemption.count.per_customer.weekly": datetime(2024, 5, 13, tzinfo=UTC),
    }


def test_collection_rules_pick_the_members_found() -> None:
    """A products_collection in a product rule matches the items the caller found in it; the
    sets name the collections they need (rules and ``applicable_to``)."""
    rules = {
        "1": {
            "name": "order.items.any",
            "conditions": {"$is": [{"id": "pc_1", "object": "products_collection"}]},
            "rules": {"1": {"name": "order.items.price_any", "conditions": {"$more_than": [2000]}}},
        }
    }
    applicable = {"included": [{"object": "products_collection", "id": "pc_2"}]}
    rule_set = _set(rules, applicable_to=applicable)
    assert rule_reads.collections([rule_set]) == {"pc_1", "pc_2"}
    assigned = vr.Assigned((rule_set,))
    b_keys = frozenset({frozenset({"prod_b", "sku_b1"})})
    a_keys = frozenset({frozenset({"prod_a"})})
    inside_b = vr.Figures(5000, 5000, 5000, ITEMS, {"pc_1": b_keys})
    inside_a = vr.Figures(5000, 5000, 5000, ITEMS, {"pc_1": a_keys})
    assert vr.violation(assigned, inside_b) is None
    failed = vr.violation(assigned, inside_a)
    assert failed is not None
    assert failed.key == "order_rules_violated"
    assert vr.violation(assigned, vr.Figures(5000, 5000, 5000, ITEMS)) is not None


def test_campaign_budgets_add_this_redemption() -> None:
    """Budgets compare the campaign's tallies with this redemption added: one more redemption,
    this order's amount, this redeemable's discount; ``customers_count`` is a customer rule."""
    rules = {
        "1": {"name": "campaign.redemptions.count", "conditions": {"$less_than_or_equal": [10]}},
        "2": {"name": "campaign.orders.amount", "conditions": {"$less_than_or_equal": [9000]}},
        "3": {
            "name": "campaign.orders.amount_discounted",
            "conditions": {"$less_than_or_equal": [1500]},
        },
        "4": {
            "name": "campaign.redemptions.customers_count.daily",
            "conditions": {"$less_than": [2]},
        },
    }
    rule_set = _set(rules)
    assert vr.counts_needed([rule_set]) == {
        "campaign.redemptions.count",
        "campaign.orders.amount",
        "campaign.orders.amount_discounted",
        "campaign.redemptions.customers_count.daily",
    }
    customer = {"id": "c", "metadata": {}}
    tallies = {"campaign.redemptions.count": 9, "campaign.orders.amount": 4000}
    tallies["campaign.orders.amount_discounted"] = 1000
    assert _judge(rule_set, total=4500, customer=customer, counts=tallies) is None
    over_budget = _judge(rule_set, total=4499, customer=customer, counts=tallies)
    assert over_budget == vr.Violation("order_rules_violated", None, "val_1")
    too_big = _judge(rule_set, amount=5001, total=5001, customer=customer, counts=tallies)
    assert too_big is not None
    assert too_big.key == "order_rules_violated"
    again = {**tallies, "campaign.redemptions.customers_count.daily": 1}
    twice = _judge(rule_set, total=4500, customer=customer, counts=again)
    assert twice is not None
    assert twice.key == "customer_rules_violated"
    full = _judge(
        rule_set, total=4500, customer=customer, counts={**tallies, rules["1"]["name"]: 10}
    )
    assert full is not None
    assert full.key == "order_rules_violated"
