"""Item-level discounts through the API: applicable_to / inapplicable_to, item totals, SDK."""

from __future__ import annotations

from typing import Any

import httpx
import voucherify
from voucherify.api.redemptions_api import RedemptionsApi
from voucherify.api.validations_api import ValidationsApi
from voucherify.models.redemptions_redeem_request_body import RedemptionsRedeemRequestBody
from voucherify.models.validations_validate_request_body import ValidationsValidateRequestBody

from tests.api.redemption_helpers import discount_voucher, gift_voucher, voucher_ref

ITEMS = [
    {"product_id": "prod_a", "quantity": 2, "price": 1000},
    {"product_id": "prod_b", "quantity": 1, "price": 3000},
    {"sku_id": "sku_c", "source_id": "c-1", "related_object": "sku", "quantity": 3, "price": 500},
]
A = {"object": "product", "id": "prod_a"}
B = {"object": "product", "id": "prod_b"}
C = {"object": "sku", "source_id": "c-1"}


def _setup(http: httpx.Client) -> list[dict[str, Any]]:
    """ITEMS (500 off each of A and C, never B), ORDER (10 % of the order), GIFT (4000)."""
    discount_voucher(
        http,
        "ITEMS",
        {"type": "AMOUNT", "amount_off": 500, "effect": "APPLY_TO_ITEMS"},
        applicable_to=[A, C],
        inapplicable_to=[B],
    )
    discount_voucher(http, "ORDER", {"type": "PERCENT", "percent_off": 10})
    gift_voucher(http, "GIFT", 4000)
    return [voucher_ref("ITEMS"), voucher_ref("ORDER"), voucher_ref("GIFT", 2000)]


def _assert_final(order: dict[str, Any]) -> None:
    assert order["amount"] == 6500
    assert [i["discount_amount"] for i in order["items"]] == [500, 0, 500]
    assert [i["subtotal_amount"] for i in order["items"]] == [1500, 3000, 1000]
    assert order["items_discount_amount"] == 1000
    assert order["discount_amount"] == 550 + 2000
    assert order["total_discount_amount"] == 3550
    assert order["total_amount"] == 2950


def test_validation_reports_items_and_targets(http: httpx.Client) -> None:
    """A stack of an item voucher, an order discount and a gift card gives exact item totals."""
    refs = _setup(http)
    body = http.post("/v1/validations", json={"redeemables": refs, "order": {"items": ITEMS}})
    assert body.status_code == 200, body.text
    data = body.json()
    assert data["valid"] is True
    items, order, gift = data["redeemables"]
    assert items["applicable_to"]["total"] == 2
    assert items["applicable_to"]["data"][0] == {
        "object": "product",
        "id": "prod_a",
        "effect": "APPLY_TO_EVERY",
        "order_item_indices": [0],
    }
    assert items["applicable_to"]["data"][1]["order_item_indices"] == [2]
    assert items["inapplicable_to"]["data"][0]["id"] == "prod_b"
    assert items["order"]["items_discount_amount"] == 1000
    assert items["order"]["items_applied_discount_amount"] == 1000
    assert items["order"]["items"][0]["applied_discount_amount"] == 500
    assert items["order"]["total_amount"] == 5500
    assert order["order"]["applied_discount_amount"] == 550
    assert order["applicable_to"]["total"] == 0
    assert gift["result"]["gift"]["credits"] == 2000
    _assert_final(data["order"])
    assert data["order"]["items_applied_discount_amount"] == 1000


def test_redemption_stores_item_discounts(http: httpx.Client) -> None:
    """Redeeming the stack stores each item's discount on the order."""
    refs = _setup(http)
    reply = http.post(
        "/v1/redemptions", json={"redeemables": refs, "order": {"source_id": "o-1", "items": ITEMS}}
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    _assert_final(body["order"])
    stored = http.get(f"/v1/orders/{body['order']['id']}").json()
    _assert_final(stored)
    assert http.get("/v1/vouchers/GIFT").json()["gift"]["balance"] == 2000


def test_proportional_campaign_and_no_match(http: httpx.Client) -> None:
    """A campaign's applicable_to and PROPORTIONALLY reach its vouchers; no match → inapplicable."""
    reply = http.post(
        "/v1/campaigns",
        json={
            "name": "prop",
            "campaign_type": "DISCOUNT_COUPONS",
            "type": "STATIC",
            "applicable_to": [A, B],
            "voucher": {
                "type": "DISCOUNT_VOUCHER",
                "discount": {
                    "type": "AMOUNT",
                    "amount_off": 1000,
                    "effect": "APPLY_TO_ITEMS_PROPORTIONALLY",
                },
            },
        },
    )
    assert reply.status_code == 200, reply.text
    added = http.post(f"/v1/campaigns/{reply.json()['id']}/vouchers/PROP", json={})
    assert added.status_code == 200, added.text
    order = {"items": ITEMS}
    data = http.post(
        "/v1/validations", json={"redeemables": [voucher_ref("PROP")], "order": order}
    ).json()
    assert data["valid"] is True, data
    # 1000 × 2000/5000 = 400, × 3000/5000 = 600
    assert [i["discount_amount"] for i in data["order"]["items"]] == [400, 600, 0]
    only_c = {"items": [ITEMS[2]]}
    data = http.post(
        "/v1/validations", json={"redeemables": [voucher_ref("PROP")], "order": only_c}
    ).json()
    assert data["valid"] is False
    assert data["inapplicable_redeemables"][0]["result"]["error"]["key"] == "order_rules_violated"


def test_sdk_parses_item_level_results(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """ValidationsApi and RedemptionsApi parse applicable_to lists and item totals."""
    refs = _setup(http)
    valid = ValidationsApi(sdk).validate_stacked_discounts(
        ValidationsValidateRequestBody.from_dict({"redeemables": refs, "order": {"items": ITEMS}})
    )
    assert valid.valid is True
    first = valid.redeemables[0]
    assert first.applicable_to.data[0].id == "prod_a"
    assert first.applicable_to.data[1].order_item_indices == [2]
    assert first.inapplicable_to.data[0].id == "prod_b"
    assert valid.order.items_discount_amount == 1000
    assert valid.order.items[2].discount_amount == 500
    redeemed = RedemptionsApi(sdk).redeem_stacked_discounts(
        RedemptionsRedeemRequestBody.from_dict({"redeemables": refs, "order": {"items": ITEMS}})
    )
    assert redeemed.order.total_amount == 2950
    assert redeemed.order.items[0].subtotal_amount == 1500


def test_rollback_removes_item_discounts(http: httpx.Client) -> None:
    """Rolling back the stack gives the items and the order their full amounts back."""
    refs = _setup(http)
    body = {"redeemables": refs, "order": {"items": ITEMS}}
    redeemed = http.post("/v1/redemptions", json=body).json()
    parent = redeemed["parent_redemption"]["id"]
    reply = http.post(f"/v1/redemptions/{parent}/rollbacks", json={})
    assert reply.status_code == 200, reply.text
    order = http.get(f"/v1/orders/{redeemed['order']['id']}").json()
    assert [i["discount_amount"] for i in order["items"]] == [0, 0, 0]
    assert order["items_discount_amount"] == 0
    assert order["discount_amount"] == 0
    assert order["total_amount"] == 6500
    assert http.get("/v1/vouchers/GIFT").json()["gift"]["balance"] == 4000
