"""Validation rules with the current order-item rule names, through the API.

Spec ``ValidationRule.rules`` (the rule-name table of OpenAPIWebhooks: "Order items" —
``order.items.any`` … with ``order.items.quantity``, ``order.items.aggregated_quantity``,
``order.items.price``, ``order.items.aggregated_amount`` sub-rules).
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.redemption_helpers import discount_voucher, voucher_ref

DRILL = {"object": "product", "id": "prod_drill"}


def _valid(http: httpx.Client, quantity: int) -> bool:
    items = [{"product_id": "prod_drill", "quantity": quantity, "price": 1000}]
    body = {"redeemables": [voucher_ref("TWO-DRILLS")], "order": {"items": items}}
    result: dict[str, Any] = http.post("/v1/validations", json=body).json()
    return bool(result["valid"])


def test_order_items_any_with_a_quantity_sub_rule(http: httpx.Client) -> None:
    """Two or more drills in one line: the rule is stored as sent and judged on the cart."""
    inner = {
        "1": {"name": "order.items.quantity", "conditions": {"$more_than_or_equal": [2]}},
        "logic": "1",
    }
    rules = {"1": {"name": "order.items.any", "conditions": {"$is": [DRILL]}, "rules": inner}}
    made = http.post("/v1/validation-rules", json={"name": "two drills", "rules": rules})
    assert made.status_code == 200, made.text
    assert made.json()["rules"]["1"]["rules"]["1"]["name"] == "order.items.quantity"
    off = {"type": "AMOUNT", "amount_off": 100}
    discount_voucher(http, "TWO-DRILLS", off, validation_rules=[made.json()["id"]])
    assert _valid(http, 2) is True
    assert _valid(http, 1) is False
