"""build/discount-types-and-effects.mdx: every product discount effect on the page's sample
order (mugs 2 × $10, posters 3 × $15, T-shirts 3 × $20, bottles 2 × $25; the coupons apply to
the Adventure items), to the cent, through validation and redemption."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.redemption_helpers import discount_voucher, redeem, voucher_ref

SAMPLE = [
    {"product_id": "adventure_mug", "quantity": 2, "price": 1000},
    {"product_id": "adventure_poster", "quantity": 3, "price": 1500},
    {"product_id": "adventure_tshirt", "quantity": 3, "price": 2000},
    {"product_id": "star_bottle", "quantity": 2, "price": 2500},
]
ADVENTURE = [
    {"object": "product", "id": ident}
    for ident in ("adventure_mug", "adventure_poster", "adventure_tshirt")
]
EFFECTS: list[tuple[str, dict[str, Any], list[int], int]] = [
    (
        "amount, apply the discount to item subtotal",
        {"type": "AMOUNT", "amount_off": 1000, "effect": "APPLY_TO_ITEMS"},
        [1000, 1000, 1000, 0],
        14500,
    ),
    (
        "amount, apply the full discount to each item unit",
        {"type": "AMOUNT", "amount_off": 1000, "effect": "APPLY_TO_ITEMS_BY_QUANTITY"},
        [2000, 3000, 3000, 0],
        9500,
    ),
    (
        "amount, split proportionally to amount",
        {"type": "AMOUNT", "amount_off": 1000, "effect": "APPLY_TO_ITEMS_PROPORTIONALLY"},
        [160, 360, 480, 0],
        16500,
    ),
    (
        "amount, split proportionally to quantity",
        {
            "type": "AMOUNT",
            "amount_off": 1000,
            "effect": "APPLY_TO_ITEMS_PROPORTIONALLY_BY_QUANTITY",
        },
        [250, 375, 375, 0],
        16500,
    ),
    (
        "percent, apply the discount to item subtotal",
        {"type": "PERCENT", "percent_off": 10, "effect": "APPLY_TO_ITEMS"},
        [200, 450, 600, 0],
        16250,
    ),
    (
        "new price, apply the discount to item subtotal",
        {"type": "FIXED", "fixed_amount": 1000, "effect": "APPLY_TO_ITEMS"},
        [0, 1500, 3000, 0],
        13000,
    ),
]


@pytest.mark.parametrize(
    ("title", "discount", "per_item", "total"), EFFECTS, ids=[e[0] for e in EFFECTS]
)
def test_product_effect_on_the_sample_order(
    http: httpx.Client, title: str, discount: dict[str, Any], per_item: list[int], total: int
) -> None:
    """Each effect's per-item discounts and total amount are the page's table (of $175)."""
    discount_voucher(http, "EFFECT", discount, applicable_to=ADVENTURE)
    body = {"redeemables": [voucher_ref("EFFECT")], "order": {"items": SAMPLE}}
    result = http.post("/v1/validations", json=body).json()
    order = result["order"]
    assert order["amount"] == 17500, title
    assert [item["discount_amount"] for item in order["items"]] == per_item, title
    assert order["total_discount_amount"] == 17500 - total
    assert order["total_amount"] == total
    reply = redeem(http, voucher_ref("EFFECT"), order={"items": SAMPLE})
    assert reply.status_code == 200, reply.text
    assert reply.json()["order"]["total_amount"] == total


@pytest.mark.parametrize(
    ("discount", "total"),
    [
        ({"type": "AMOUNT", "amount_off": 2000}, 15500),
        ({"type": "PERCENT", "percent_off": 10}, 15750),
        ({"type": "FIXED", "fixed_amount": 15000}, 15000),
    ],
    ids=["amount", "percent", "new price"],
)
def test_order_effects_on_the_sample_order(
    http: httpx.Client, discount: dict[str, Any], total: int
) -> None:
    """Order discounts apply to the whole $175 cart; "new price" makes the cart cost it."""
    discount_voucher(http, "WHOLE", discount)
    body = {"redeemables": [voucher_ref("WHOLE")], "order": {"items": SAMPLE}}
    order = http.post("/v1/validations", json=body).json()["order"]
    assert order["total_discount_amount"] == 17500 - total
    assert order["total_amount"] == total
