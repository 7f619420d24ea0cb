"""Discount arithmetic on an order amount, and gift credits."""

from __future__ import annotations

from openvoucher.checkout.domain.discounts import gift_credits, order_discount, percent_of


def test_amount_never_exceeds_order() -> None:
    """An AMOUNT discount is capped by the order amount."""
    assert order_discount({"type": "AMOUNT", "amount_off": 1500}, 10000, []) == 1500
    assert order_discount({"type": "AMOUNT", "amount_off": 1500}, 1000, []) == 1000


def test_percent_with_limit_rounds_half_up() -> None:
    """PERCENT rounds half up and respects amount_limit."""
    assert percent_of(1005, 10) == 101
    assert order_discount({"type": "PERCENT", "percent_off": 12.5}, 1000, []) == 125
    discount = {"type": "PERCENT", "percent_off": 50, "amount_limit": 300}
    assert order_discount(discount, 1000, []) == 300


def test_fixed_sets_the_price() -> None:
    """FIXED makes the order cost fixed_amount."""
    assert order_discount({"type": "FIXED", "fixed_amount": 7000}, 10000, []) == 3000
    assert order_discount({"type": "FIXED", "fixed_amount": 12000}, 10000, []) == 0


def test_unit_uses_the_item_price() -> None:
    """UNIT takes unit_off units of the matching item's price."""
    items = [{"product_id": "prod_a", "price": 250, "quantity": 4}]
    discount = {"type": "UNIT", "unit_off": 2, "unit_type": "prod_a"}
    assert order_discount(discount, 1000, items) == 500
    assert order_discount({**discount, "unit_type": "prod_b"}, 1000, items) == 0


def test_gift_credits_bounded_by_balance_and_remaining() -> None:
    """Gift credits pay up to the balance and the remaining order amount."""
    assert gift_credits(balance=5000, remaining=3000, requested=None) == 3000
    assert gift_credits(balance=2000, remaining=3000, requested=None) == 2000
    assert gift_credits(balance=5000, remaining=3000, requested=1000) == 1000
