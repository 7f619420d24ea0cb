"""Item-level discount arithmetic (domain/items.py) and its place in an evaluation."""

from __future__ import annotations

from datetime import UTC, datetime

from openvoucher.catalog.domain.validity import Validity
from openvoucher.checkout.domain.items import (
    applicable_list,
    item_discounts,
    share,
    share_within,
    targets,
)
from openvoucher.checkout.domain.redeemables import OrderContext, Requested, VoucherFacts
from openvoucher.checkout.domain.stacking import evaluate

ITEMS = [
    {"product_id": "prod_a", "quantity": 2, "price": 1000, "amount": 2000},
    {"product_id": "prod_b", "quantity": 1, "price": 3000, "amount": 3000},
    {"sku_id": "sku_c", "source_id": "c-1", "quantity": 3, "price": 500, "amount": 1500},
]
LEFT = [2000, 3000, 1500]
A = {"object": "product", "id": "prod_a"}
B = {"object": "product", "id": "prod_b"}
C = {"object": "sku", "source_id": "c-1"}
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _take(discount: dict[str, object], applicable=(), inapplicable=()) -> list[int]:  # type: ignore[no-untyped-def]
    chosen = targets(ITEMS, applicable, inapplicable)
    return item_discounts(discount, ITEMS, LEFT, chosen, applicable)


def test_amount_to_items_takes_amount_off_each_applicable_item() -> None:
    """APPLY_TO_ITEMS with AMOUNT takes amount_off off each listed item, others untouched."""
    discount = {"type": "AMOUNT", "amount_off": 700, "effect": "APPLY_TO_ITEMS"}
    assert _take(discount, [A, C]) == [700, 0, 700]


def test_amount_never_exceeds_the_item() -> None:
    """An item discount is capped at what is left of the item."""
    discount = {"type": "AMOUNT", "amount_off": 2500, "effect": "APPLY_TO_ITEMS"}
    assert _take(discount, [A, B]) == [2000, 2500, 0]


def test_percent_to_items_with_amount_limit() -> None:
    """PERCENT on items is per item; amount_limit caps the sum (shared by largest remainder)."""
    discount = {"type": "PERCENT", "percent_off": 10, "effect": "APPLY_TO_ITEMS"}
    assert _take(discount) == [200, 300, 150]
    limited = _take({**discount, "amount_limit": 500})
    assert limited == [154, 231, 115]
    assert sum(limited) == 500


def test_proportionally_splits_with_largest_remainder() -> None:
    """PROPORTIONALLY splits amount_off by item amounts; the parts sum exactly to it."""
    discount = {"type": "AMOUNT", "amount_off": 1000, "effect": "APPLY_TO_ITEMS_PROPORTIONALLY"}
    parts = _take(discount)
    # 1000 × 2000/6500 = 307.69, × 3000/6500 = 461.54, × 1500/6500 = 230.77 → floors 307+461+230=998
    assert parts == [308, 461, 231]
    assert sum(parts) == 1000
    assert share(10, [1, 1, 1]) == [4, 3, 3]


def test_proportionally_capped_by_applicable_items() -> None:
    """PROPORTIONALLY never gives more than the applicable items are worth."""
    discount = {"type": "AMOUNT", "amount_off": 9000, "effect": "APPLY_TO_ITEMS_PROPORTIONALLY"}
    assert _take(discount, [A, C]) == [2000, 0, 1500]


def test_by_quantity_takes_amount_off_each_unit() -> None:
    """APPLY_TO_ITEMS_BY_QUANTITY takes amount_off off every unit of the listed items."""
    discount = {"type": "AMOUNT", "amount_off": 100, "effect": "APPLY_TO_ITEMS_BY_QUANTITY"}
    assert _take(discount, [A, C]) == [200, 0, 300]


def test_proportionally_by_quantity_splits_by_units() -> None:
    """PROPORTIONALLY_BY_QUANTITY splits amount_off by the items' quantities, within each item."""
    discount = {
        "type": "AMOUNT",
        "amount_off": 1200,
        "effect": "APPLY_TO_ITEMS_PROPORTIONALLY_BY_QUANTITY",
    }
    # quantities 2, 1, 3 → 400, 200, 600
    assert _take(discount) == [400, 200, 600]
    # 6000 by 2:1:3 → 2000, 1000, 3000: A is full, C holds only 1500, so B takes the other 1500
    assert _take({**discount, "amount_off": 6000}) == [2000, 2500, 1500]
    assert _take({**discount, "amount_off": 9000}) == [2000, 3000, 1500]
    assert share_within(10, [1, 1, 1], [1, 100, 100]) == [1, 5, 4]


def test_inapplicable_to_excludes_items() -> None:
    """Items matched by inapplicable_to get nothing, even when no applicable_to is set."""
    discount = {"type": "PERCENT", "percent_off": 50, "effect": "APPLY_TO_ITEMS"}
    assert _take(discount, (), [B]) == [1000, 0, 750]
    assert _take(discount, [A, B], [B]) == [1000, 0, 0]


def test_entry_effect_cheapest_and_limits() -> None:
    """An entry's APPLY_TO_CHEAPEST keeps one item; quantity_limit and price apply per entry."""
    discount = {"type": "PERCENT", "percent_off": 50, "effect": "APPLY_TO_ITEMS"}
    both = {"object": "product", "id": "prod_a", "effect": "APPLY_TO_CHEAPEST"}
    assert _take(discount, [both]) == [1000, 0, 0]
    limited = {"object": "product", "id": "prod_a", "quantity_limit": 1}
    assert _take(discount, [limited]) == [500, 0, 0]
    priced = {"object": "product", "id": "prod_b", "price": 1200}
    assert _take(discount, [priced]) == [0, 1800, 0]


def test_applicable_list_reports_entries_and_indices() -> None:
    """The ApplicableToResultList carries each entry with its effect and matched indices."""
    body = applicable_list([A, C], ITEMS, targets(ITEMS, [A, C], []))
    assert body["total"] == 2
    assert body["data"][0] == {
        "object": "product",
        "id": "prod_a",
        "effect": "APPLY_TO_EVERY",
        "order_item_indices": [0],
    }
    assert body["data"][1]["order_item_indices"] == [2]


def _facts(code: str, **extra: object) -> VoucherFacts:
    return VoucherFacts(
        id=code, code=code, type="DISCOUNT_VOUCHER", active=True, validity=Validity(), **extra
    )  # type: ignore[arg-type]


def test_evaluation_stacks_items_then_order_then_gift() -> None:
    """Item discounts, then an order PERCENT on what is left, then a gift card pay the rest."""
    items_voucher = _facts(
        "ITEMS",
        discount={"type": "AMOUNT", "amount_off": 500, "effect": "APPLY_TO_ITEMS"},
        applicable_to=(A, B),
    )
    order_voucher = _facts("ORDER", discount={"type": "PERCENT", "percent_off": 10})
    gift = VoucherFacts(
        id="GIFT",
        code="GIFT",
        type="GIFT_VOUCHER",
        active=True,
        validity=Validity(),
        gift_balance=100_000,
    )
    facts = {"ITEMS": items_voucher, "ORDER": order_voucher, "GIFT": gift}
    requests = [Requested("voucher", code) for code in ("ITEMS", "ORDER", "GIFT")]
    result = evaluate(requests, facts, OrderContext(amount=6500, items=ITEMS), NOW)
    assert result.valid
    assert result.totals.item_discounts == (500, 500, 0)
    assert result.totals.items_discount_amount == 1000
    assert result.outcomes[1].discount == 550  # 10 % of 5500
    assert result.outcomes[2].credits == 4950
    assert result.totals.discount_amount == 5500
    assert result.totals.total_amount == 0


def test_no_matching_item_is_inapplicable() -> None:
    """A voucher whose applicable_to matches no item is inapplicable (order_rules_violated)."""
    voucher = _facts(
        "X",
        discount={"type": "AMOUNT", "amount_off": 500, "effect": "APPLY_TO_ITEMS"},
        applicable_to=({"object": "product", "id": "prod_zz"},),
    )
    result = evaluate(
        [Requested("voucher", "X")], {"X": voucher}, OrderContext(amount=6500, items=ITEMS), NOW
    )
    assert result.outcomes[0].error == "order_rules_violated"
