"""build/discount-types-and-effects.mdx's product effects on its sample order, in the engine."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from openvoucher.catalog.domain.validity import Validity
from openvoucher.checkout.domain.orders import compute_item
from openvoucher.checkout.domain.redeemables import OrderContext, Requested, VoucherFacts
from openvoucher.checkout.domain.stacking import evaluate

NOW = datetime(2026, 12, 7, tzinfo=UTC)
SAMPLE = tuple(
    compute_item({"product_id": ident, "quantity": quantity, "price": price})
    for ident, quantity, price in (
        ("mug", 2, 1000),
        ("poster", 3, 1500),
        ("tshirt", 3, 2000),
        ("bottle", 2, 2500),
    )
)
ADVENTURE = tuple({"object": "product", "id": i} for i in ("mug", "poster", "tshirt"))


@pytest.mark.parametrize(
    ("discount", "per_item"),
    [
        ({"type": "AMOUNT", "amount_off": 1000, "effect": "APPLY_TO_ITEMS"}, (1000, 1000, 1000, 0)),
        (
            {"type": "AMOUNT", "amount_off": 1000, "effect": "APPLY_TO_ITEMS_BY_QUANTITY"},
            (2000, 3000, 3000, 0),
        ),
        (
            {"type": "AMOUNT", "amount_off": 1000, "effect": "APPLY_TO_ITEMS_PROPORTIONALLY"},
            (160, 360, 480, 0),
        ),
        (
            {
                "type": "AMOUNT",
                "amount_off": 1000,
                "effect": "APPLY_TO_ITEMS_PROPORTIONALLY_BY_QUANTITY",
            },
            (250, 375, 375, 0),
        ),
        ({"type": "PERCENT", "percent_off": 10, "effect": "APPLY_TO_ITEMS"}, (200, 450, 600, 0)),
        ({"type": "FIXED", "fixed_amount": 1000, "effect": "APPLY_TO_ITEMS"}, (0, 1500, 3000, 0)),
    ],
)
def test_sample_order(discount: dict[str, Any], per_item: tuple[int, ...]) -> None:
    """Per-item discounts as the page's tables show them (new price: each unit at $10)."""
    facts = VoucherFacts(
        id="v_E", code="E", type="DISCOUNT_VOUCHER", active=True, validity=Validity(),
        discount=discount, applicable_to=ADVENTURE,
    )  # fmt: skip
    result = evaluate([Requested("voucher", "E")], {"E": facts}, OrderContext(17500, SAMPLE), NOW)
    assert result.totals.item_discounts == per_item
    assert result.totals.total_amount == 17500 - sum(per_item)
