"""The pure stacking engine: order, limits, exclusivity, modes, no effect."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from openvoucher.catalog.domain import validation_rules as vrules
from openvoucher.catalog.domain.validity import Validity
from openvoucher.checkout.domain.redeemables import OrderContext, Requested, VoucherFacts
from openvoucher.checkout.domain.stacking import evaluate
from openvoucher.checkout.domain.stacking_policy import Category, Policy

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
A = Category("cat_a", 2)
B = Category("cat_b", 0)
X = Category("cat_x", 1)
J = Category("cat_j", 1)


def _coupon(code: str, off: int, *categories: Category, **extra: object) -> VoucherFacts:
    base: dict[str, object] = {"active": True, "validity": Validity(), **extra}
    return VoucherFacts(
        id=f"v_{code}", code=code, type="DISCOUNT_VOUCHER",
        discount={"type": "AMOUNT", "amount_off": off}, categories=categories,
        **base,  # type: ignore[arg-type]
    )  # fmt: skip


def _run(policy: Policy, *facts: VoucherFacts, amount: int = 10000) -> list[tuple[str, str]]:
    result = evaluate(
        [Requested("voucher", f.code) for f in facts],
        {f.code: f for f in facts},
        OrderContext(amount),
        NOW,
        policy,
    )
    return [(o.status, o.error or "") for o in result.outcomes]


def test_policy_of_stored_rules() -> None:
    """Stored lists become sets, limits stay ints, nulls keep the defaults, unknown keys go."""
    policy = Policy.of(
        {
            "exclusive_categories": ["cat_x"],
            "applicable_redeemables_category_limits": {"cat_a": 2},
            "redeemables_limit": None,
            "id": "stk_1",
        }
    )
    assert policy.exclusive_categories == frozenset({"cat_x"})
    assert policy.category_limit(A) == 2
    assert policy.category_limit(B) == 1
    assert policy.redeemables_limit == 30


def test_hierarchy_orders_application_not_listing() -> None:
    """CATEGORY_HIERARCHY applies the lowest hierarchy first; outcomes stay in request order."""
    policy = Policy(redeemables_sorting_rule="CATEGORY_HIERARCHY")
    late, early = _coupon("LATE", 100, A), _coupon("EARLY", 100, B)
    percent = VoucherFacts(
        id="v_P", code="P", type="DISCOUNT_VOUCHER", active=True, validity=Validity(),
        discount={"type": "PERCENT", "percent_off": 50}, categories=(X,),
    )  # fmt: skip
    result = evaluate(
        [Requested("voucher", c) for c in ("LATE", "P", "EARLY")],
        {"LATE": late, "P": percent, "EARLY": early},
        OrderContext(10000),
        NOW,
        policy,
    )
    assert [o.request.id for o in result.outcomes] == ["LATE", "P", "EARLY"]
    assert [o.discount for o in result.outcomes] == [100, 4950, 100]
    assert Policy().sequence([(A,), (B,), ()]) == [0, 1, 2]
    assert policy.sequence([(), (A,), (B,)]) == [2, 1, 0]


def test_per_category_limits() -> None:
    """One redeemable per category by default; a category's own limit overrides it."""
    coupons = (_coupon("A1", 10, A), _coupon("A2", 10, A), _coupon("B1", 10, B))
    assert _run(Policy(), *coupons) == [
        ("APPLICABLE", ""),
        ("SKIPPED", "applicable_redeemables_per_category_limit_exceeded"),
        ("APPLICABLE", ""),
    ]
    own = Policy(applicable_redeemables_category_limits={"cat_a": 2})
    assert [s for s, _ in _run(own, *coupons)] == ["APPLICABLE"] * 3


def test_exclusive_limits_and_joint() -> None:
    """Exclusive beyond their limits are skipped, commons excluded, joints kept."""
    policy = Policy(
        exclusive_categories=frozenset({"cat_x", "cat_b"}),
        joint_categories=frozenset({"cat_j"}),
        applicable_exclusive_redeemables_limit=2,
    )
    stack = (
        _coupon("C", 10, A),
        _coupon("X1", 10, X),
        _coupon("X2", 10, X),
        _coupon("J", 10, J),
        _coupon("B", 10, B),
        _coupon("B2", 10, B),
    )
    assert _run(policy, *stack) == [
        ("SKIPPED", "exclusion_rules_not_met"),
        ("APPLICABLE", ""),
        ("SKIPPED", "applicable_exclusive_redeemables_per_category_limit_exceeded"),
        ("APPLICABLE", ""),
        ("APPLICABLE", ""),
        ("SKIPPED", "applicable_exclusive_redeemables_limit_exceeded"),
    ]


def test_applicable_limit_counts_only_applied() -> None:
    """Inapplicable and skipped redeemables do not use up the applicable limit."""
    policy = Policy(applicable_redeemables_limit=2, redeemables_application_mode="PARTIAL")
    old = _coupon("OLD", 10, validity=Validity(expiration_date=NOW - timedelta(days=1)))
    stack = (old, _coupon("C1", 10), _coupon("C2", 10), _coupon("C3", 10))
    assert _run(policy, *stack) == [
        ("INAPPLICABLE", "voucher_expired"),
        ("APPLICABLE", ""),
        ("APPLICABLE", ""),
        ("SKIPPED", "applicable_redeemables_limit_exceeded"),
    ]


def test_all_mode_skips_after_a_failure_partial_does_not() -> None:
    """ALL: after an inapplicable one the rest are skipped and the stack is invalid."""
    old = _coupon("OLD", 10, validity=Validity(expiration_date=NOW - timedelta(days=1)))
    stack = {"OLD": old, "C": _coupon("C", 10)}
    requests = [Requested("voucher", "OLD"), Requested("voucher", "C")]
    strict = evaluate(requests, stack, OrderContext(1000), NOW)
    assert [o.error for o in strict.outcomes] == ["voucher_expired", "preceding_validation_failed"]
    assert not strict.valid
    assert strict.totals.discount_amount == 0
    partial = evaluate(
        requests,
        stack,
        OrderContext(1000),
        NOW,
        Policy.of({"redeemables_application_mode": "PARTIAL"}),
    )
    assert partial.valid
    assert partial.totals.discount_amount == 10


def test_rules_judged_on_the_running_order() -> None:
    """A minimum-order rule fails once an earlier coupon brought the order under it."""
    rule = vrules.Assigned(
        sets=(
            vrules.RuleSet(
                id="val_1",
                rules={
                    "1": {"name": "order.amount", "conditions": {"$more_than": [9000]}},
                    "logic": "1",
                },
            ),
        )
    )
    big = _coupon("BIG", 2000)
    gated = _coupon("GATED", 500, rules=rule)
    facts = {"BIG": big, "GATED": gated}
    policy = Policy(redeemables_application_mode="PARTIAL")
    after = evaluate(
        [Requested("voucher", "BIG"), Requested("voucher", "GATED")],
        facts,
        OrderContext(10000),
        NOW,
        policy,
    )
    assert [o.status for o in after.outcomes] == ["APPLICABLE", "INAPPLICABLE"]
    before = evaluate(
        [Requested("voucher", "GATED"), Requested("voucher", "BIG")],
        facts,
        OrderContext(10000),
        NOW,
        policy,
    )
    assert [o.discount for o in before.outcomes] == [500, 2000]


def test_no_effect_rule_and_categories() -> None:
    """SKIP skips a redeemable that takes nothing off unless its category redeems anyway."""
    full = _coupon("FULL", 10000)
    stack = (full, _coupon("NA", 10), _coupon("ANY", 10, A))
    skip = Policy(
        redeemables_no_effect_rule="SKIP", no_effect_redeem_anyway_categories=frozenset({"cat_a"})
    )
    assert _run(skip, *stack) == [("APPLICABLE", ""), ("SKIPPED", "no_effect"), ("APPLICABLE", "")]
    anyway = Policy(no_effect_skip_categories=frozenset({"cat_a"}))
    assert _run(anyway, *stack) == [
        ("APPLICABLE", ""),
        ("APPLICABLE", ""),
        ("SKIPPED", "no_effect"),
    ]


def test_initial_amount_mode_for_items_and_categories() -> None:
    """A percent of the initial item amounts (never more than is left); per-category modes."""
    items = ({"product_id": "p", "quantity": 1, "price": 1000, "amount": 1000},)
    off = {"type": "PERCENT", "percent_off": 60, "effect": "APPLY_TO_ITEMS"}
    first = VoucherFacts(
        id="v_1", code="1", type="DISCOUNT_VOUCHER", active=True, validity=Validity(), discount=off
    )
    second = VoucherFacts(
        id="v_2",
        code="2",
        type="DISCOUNT_VOUCHER",
        active=True,
        validity=Validity(),
        discount=off,
        categories=(A,),
    )
    facts = {"1": first, "2": second}
    requests = [Requested("voucher", "1"), Requested("voucher", "2")]
    initial = Policy(discount_calculation_mode="INITIAL_AMOUNT")
    result = evaluate(requests, facts, OrderContext(1000, items=items), NOW, initial)
    assert [o.discount for o in result.outcomes] == [600, 400]
    by_category = Policy(initial_amount_mode_categories=frozenset({"cat_a"}))
    mixed = evaluate(requests, facts, OrderContext(1000, items=items), NOW, by_category)
    assert [o.discount for o in mixed.outcomes] == [600, 400]
    plain = evaluate(requests, facts, OrderContext(1000, items=items), NOW)
    assert [o.discount for o in plain.outcomes] == [600, 240]


def test_products_once_closes_discounted_items() -> None:
    """ONCE: the second item discount skips the item the first one discounted."""
    items = (
        {"product_id": "p", "quantity": 1, "price": 1000, "amount": 1000},
        {"product_id": "q", "quantity": 1, "price": 1000, "amount": 1000},
    )
    on_items = {"type": "AMOUNT", "amount_off": 100, "effect": "APPLY_TO_ITEMS"}
    first = replace(
        _coupon("P", 0, applicable_to=({"object": "product", "id": "p"},)), discount=on_items
    )
    every = replace(_coupon("E", 0), discount={**on_items, "amount_off": 50})
    facts = {"P": first, "E": every}
    requests = [Requested("voucher", "P"), Requested("voucher", "E")]
    once = evaluate(
        requests,
        facts,
        OrderContext(2000, items=items),
        NOW,
        Policy(redeemables_products_application_mode="ONCE"),
    )
    assert once.totals.item_discounts == (100, 50)
    stack = evaluate(requests, facts, OrderContext(2000, items=items), NOW)
    assert stack.totals.item_discounts == (150, 50)
