"""Loyalty arithmetic: expiration dates, bucket consumption, earning, tiers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from openvoucher.kernel.errors import VoucherifyError
from openvoucher.loyalty.domain import loyalty
from openvoucher.loyalty.domain.loyalty import Bucket


def _at(day: date) -> datetime:
    return loyalty.deduction_moment(day)


@pytest.mark.parametrize(
    ("earned", "rules", "expected"),
    [
        (date(2024, 1, 25), {"period_type": "MONTH", "period_value": 1}, date(2024, 2, 25)),
        (date(2024, 1, 31), {"period_type": "MONTH", "period_value": 1}, date(2024, 2, 29)),
        (date(2023, 1, 31), {"period_type": "MONTH", "period_value": 1}, date(2023, 2, 28)),
        (date(2024, 1, 1), {"period_type": "MONTH", "period_value": 0}, date(2024, 1, 1)),
        (date(2024, 7, 24), {"period_type": "MONTH", "period_value": 12}, date(2025, 7, 24)),
        (
            date(2024, 1, 10),
            {"period_type": "MONTH", "period_value": 1, "rounding_type": "END_OF_MONTH"},
            date(2024, 2, 29),
        ),
        (
            date(2024, 1, 10),
            {"period_type": "MONTH", "period_value": 1, "rounding_type": "END_OF_QUARTER"},
            date(2024, 3, 31),
        ),
        (
            date(2024, 5, 10),
            {"period_type": "MONTH", "period_value": 2, "rounding_type": "END_OF_HALF_YEAR"},
            date(2024, 12, 31),
        ),
        (
            date(2024, 5, 10),
            {"period_type": "MONTH", "period_value": 1, "rounding_type": "END_OF_YEAR"},
            date(2024, 12, 31),
        ),
        (
            date(2024, 5, 10),
            {
                "period_type": "MONTH",
                "period_value": 1,
                "rounding_type": "PARTICULAR_MONTH",
                "rounding_value": 2,
            },
            date(2025, 2, 28),
        ),
        (
            date(2024, 3, 2),
            {"period_type": "FIXED_DAY_OF_YEAR", "fixed_month": 3, "fixed_day": 1},
            date(2025, 3, 1),
        ),
        (
            date(2024, 2, 1),
            {"period_type": "FIXED_DAY_OF_YEAR", "fixed_month": 2, "fixed_day": 31},
            date(2024, 2, 29),
        ),
        (date(2024, 2, 1), None, None),
    ],
)
def test_expiration_date(
    earned: date, rules: dict[str, object] | None, expected: date | None
) -> None:
    """Months clamp to the month's last day; rounding extends to the period's end."""
    assert loyalty.expiration_date(earned, rules) == expected


def test_impossible_expiration_rules() -> None:
    """A negative period, a month 13 or an unknown type is refused."""
    for rules in (
        {"period_type": "MONTH", "period_value": -1},
        {
            "period_type": "MONTH",
            "period_value": 1,
            "rounding_type": "PARTICULAR_MONTH",
            "rounding_value": 13,
        },
        {"period_type": "FIXED_DAY_OF_YEAR"},
        {"period_type": "WEEK", "period_value": 1},
    ):
        with pytest.raises(VoucherifyError):
            loyalty.check_expiration_rules(rules)


def test_deduction_moment_round_trip() -> None:
    """Points whose last day is the 15th go at 00:00 UTC on the 16th."""
    moment = loyalty.deduction_moment(date(2025, 1, 15))
    assert moment == datetime(2025, 1, 16, tzinfo=UTC)
    assert loyalty.last_day(moment) == date(2025, 1, 15)


def test_consume_soonest_expiring_first() -> None:
    """Spending takes the soonest-expiring bucket, then later ones, never-expiring last."""
    buckets = [
        Bucket("late", 100, _at(date(2025, 6, 1)), 1),
        Bucket("never", 50, None, 2),
        Bucket("soon", 30, _at(date(2025, 2, 1)), 3),
    ]
    assert loyalty.consume(buckets, 0, 40) == [("soon", 30), ("late", 10)]
    assert loyalty.consume(buckets, 20, 190) == [
        ("soon", 30),
        ("late", 100),
        ("never", 50),
        ("", 10),
    ]
    with pytest.raises(VoucherifyError) as raised:
        loyalty.consume(buckets, 0, 181)
    assert raised.value.key == "not_enough_points"


def test_next_expiration_sums_the_soonest_day() -> None:
    """The next expiration is the earliest day and all points due that day."""
    buckets = [
        Bucket("a", 10, _at(date(2025, 3, 1))),
        Bucket("b", 5, _at(date(2025, 3, 1))),
        Bucket("c", 7, _at(date(2025, 4, 1))),
        Bucket("d", 9, None),
    ]
    assert loyalty.next_expiration(buckets) == (date(2025, 3, 1), 15)
    assert loyalty.next_expiration([Bucket("d", 9, None)]) is None


def test_proportional_earning_rounds_down() -> None:
    """Points per whole ``every``: 12345 at 1 per 100 is 123."""
    assert loyalty.proportional(12345, 100, 1) == 123
    assert loyalty.proportional(99, 100, 1) == 0
    assert loyalty.proportional(500, 0, 1) == 0


def test_earned_points_for_each_calculation() -> None:
    """Each calculation reads its value from the order or the event."""
    order = {
        "amount": 10_000,
        "total_amount": 8_000,
        "metadata": {"weight": 37},
        "items": [
            {"product_id": "p1", "quantity": 3, "amount": 3_000, "subtotal_amount": 2_500},
            {"sku_id": "s1", "quantity": 4, "amount": 7_000, "subtotal_amount": 5_500},
        ],
    }
    facts = {"order": order, "event_metadata": {"km": 42}}

    def rule(calculation: str, group: str, field: str, **spec: object) -> dict[str, object]:
        return {
            "type": "PROPORTIONAL",
            "calculation_type": calculation,
            group: {field: {"every": 10, "points": 1, **spec}},
        }

    assert loyalty.earned_points(rule("ORDER_AMOUNT", "order", "amount"), facts) == 1000
    assert loyalty.earned_points(rule("ORDER_TOTAL_AMOUNT", "order", "total_amount"), facts) == 800
    metadata = rule("ORDER_METADATA", "order", "metadata", property="weight")
    assert loyalty.earned_points(metadata, facts) == 3
    quantity = rule(
        "ORDER_ITEMS_QUANTITY", "order_items", "quantity", every=1, object="sku", id="s1"
    )
    assert loyalty.earned_points(quantity, facts) == 4
    amount = rule("ORDER_ITEMS_AMOUNT", "order_items", "amount", object="product", id="p1")
    assert loyalty.earned_points(amount, facts) == 300
    subtotal = rule("ORDER_ITEMS_SUBTOTAL_AMOUNT", "order_items", "subtotal_amount")
    assert loyalty.earned_points(subtotal, facts) == 800
    custom = rule("CUSTOM_EVENT_METADATA", "custom_event", "metadata", property="km")
    assert loyalty.earned_points(custom, facts) == 4
    assert loyalty.earned_points({"type": "FIXED", "points": 7}, facts) == 7


def test_check_loyalty_refuses_impossible_rules() -> None:
    """every 0, negative points, formulas and misplaced calculations are refused."""
    good = {
        "type": "PROPORTIONAL",
        "calculation_type": "ORDER_AMOUNT",
        "order": {"amount": {"every": 1, "points": 1}},
    }
    assert loyalty.check_loyalty(good, "order.paid") == good
    bad = [
        ({**good, "order": {"amount": {"every": 0, "points": 1}}}, "order.paid"),
        ({**good, "order": {"amount": {"every": 1, "points": -1}}}, "order.paid"),
        ({"type": "FIXED", "points_formula": "x"}, "order.paid"),
        (good, "signed_up"),
        (
            {
                "type": "PROPORTIONAL",
                "calculation_type": "ORDER_METADATA",
                "order": {"metadata": {"every": 1, "points": 1}},
            },
            "order.paid",
        ),
        ({"type": "BOGUS"}, "order.paid"),
    ]
    for body, event in bad:
        with pytest.raises(VoucherifyError):
            loyalty.check_loyalty(body, event)


def test_tiers_and_mappings() -> None:
    """The tier whose range holds the balance; MULTIPLY rounds down, CUSTOM replaces."""
    tiers = [
        {"id": "a", "points_from": 0, "points_to": 99},
        {"id": "b", "points_from": 100, "points_to": None},
    ]
    assert loyalty.tier_for(0, tiers)["id"] == "a"  # type: ignore[index]
    assert loyalty.tier_for(5000, tiers)["id"] == "b"  # type: ignore[index]
    assert loyalty.tier_for(-1, tiers) is None
    assert loyalty.map_points(7, {"type": "MULTIPLY", "multiplier": 1.5}) == 10
    assert loyalty.map_points(7, {"type": "CUSTOM", "points": 3}) == 3
    assert loyalty.map_points(7, None) == 7


def test_deduction_at_the_local_midnight_across_dst() -> None:
    """A last day of 28 March in Warsaw ends at 23:00 UTC (CET); of 29 March, at 22:00 UTC
    (CEST, after the spring change); last_day inverts it in the same zone."""
    spring = loyalty.deduction_moment(date(2026, 3, 28), "Europe/Warsaw")
    assert spring == datetime(2026, 3, 28, 23, tzinfo=UTC)
    after = loyalty.deduction_moment(date(2026, 3, 29), "Europe/Warsaw")
    assert after == datetime(2026, 3, 29, 22, tzinfo=UTC)
    assert loyalty.last_day(after, "Europe/Warsaw") == date(2026, 3, 29)
    assert loyalty.last_day(loyalty.deduction_moment(date(2026, 3, 29))) == date(2026, 3, 29)
