"""UNIT discounts that add free items (ADD_MISSING_ITEMS, ADD_NEW_ITEMS, ADD_MANY_ITEMS) and
APPLY_TO_ITEMS_PROPORTIONALLY_BY_QUANTITY, through HTTP and the official SDK."""

from __future__ import annotations

from typing import Any

import httpx
import voucherify
from voucherify.api.redemptions_api import RedemptionsApi
from voucherify.api.validations_api import ValidationsApi
from voucherify.models.redemptions_redeem_request_body import RedemptionsRedeemRequestBody
from voucherify.models.validations_validate_request_body import ValidationsValidateRequestBody

from tests.api.promotion_helpers import promotion, ref, tier, tier_ids
from tests.api.redemption_helpers import discount_voucher, voucher_ref


def _catalog(http: httpx.Client) -> dict[str, str]:
    """Red (2900) and Blue (3100) shirts, and a mug product (1700) with a SKU (1500)."""
    ids = {}
    for source, price in (("red", 2900), ("blue", 3100), ("mug", 1700)):
        reply = http.post(
            "/v1/products", json={"source_id": source, "name": source, "price": price}
        )
        assert reply.status_code == 200, reply.text
        ids[source] = reply.json()["id"]
    sku = http.post(
        f"/v1/products/{ids['mug']}/skus", json={"source_id": "mug-1", "sku": "Mug", "price": 1500}
    )
    assert sku.status_code == 200, sku.text
    ids["mug-1"] = sku.json()["id"]
    return ids


def _unit(unit_type: str, off: int, effect: str) -> dict[str, Any]:
    return {"type": "UNIT", "unit_type": unit_type, "unit_off": off, "effect": effect}


def _line(product_id: str, quantity: int, price: int) -> dict[str, Any]:
    return {"product_id": product_id, "quantity": quantity, "price": price}


def test_add_missing_items_appends_the_free_sku(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """ADD_MISSING_ITEMS adds a SKU the order lacks, at its catalogue price, and frees it."""
    ids = _catalog(http)
    discount_voucher(http, "MUGS", _unit(ids["mug-1"], 2, "ADD_MISSING_ITEMS"))
    order = {"items": [_line(ids["red"], 1, 2900)]}
    reply = http.post(
        "/v1/validations", json={"redeemables": [voucher_ref("MUGS")], "order": order}
    )
    assert reply.status_code == 200, reply.text
    data = reply.json()
    assert data["valid"] is True
    body = data["order"]
    assert (body["initial_amount"], body["amount"]) == (2900, 5900)
    assert (body["items_discount_amount"], body["total_amount"]) == (3000, 2900)
    added = body["items"][1]
    assert (added["sku_id"], added["product_id"]) == (ids["mug-1"], ids["mug"])
    assert (added["quantity"], added["price"], added["amount"]) == (2, 1500, 3000)
    assert (added["initial_quantity"], added["initial_amount"]) == (0, 0)
    assert (added["applied_quantity"], added["applied_quantity_amount"]) == (2, 3000)
    assert (added["discount_quantity"], added["applied_discount_quantity"]) == (2, 2)
    assert (added["discount_amount"], added["subtotal_amount"]) == (3000, 0)
    assert added["sku"]["source_id"] == "mug-1"
    assert added["product"]["name"] == "mug"
    shown = data["redeemables"][0]["result"]["discount"]
    assert shown["sku"] == {"id": ids["mug-1"], "source_id": "mug-1", "name": "Mug"}
    assert shown["product"] == {"id": ids["mug"], "source_id": "mug", "name": "mug"}
    assert body["items"][0]["discount_amount"] == 0
    assert data["redeemables"][0]["order"]["items_applied_discount_amount"] == 3000
    parsed = ValidationsApi(sdk).validate_stacked_discounts(
        ValidationsValidateRequestBody.from_dict(
            {"redeemables": [voucher_ref("MUGS")], "order": order}
        )
    )
    line = parsed.order.items[1]
    assert (line.sku.id, line.sku.price, line.product.id) == (ids["mug-1"], 1500, ids["mug"])
    assert (line.quantity, line.applied_quantity, line.discount_amount) == (2, 2, 3000)


def test_add_missing_items_uses_units_in_the_order(http: httpx.Client) -> None:
    """ADD_MISSING_ITEMS adds nothing when the order holds enough units."""
    ids = _catalog(http)
    discount_voucher(http, "RED", _unit("red", 1, "ADD_MISSING_ITEMS"))
    order = {"items": [_line(ids["red"], 3, 2900)]}
    data = http.post(
        "/v1/validations", json={"redeemables": [voucher_ref("RED")], "order": order}
    ).json()
    line = data["order"]["items"][0]
    assert (line["quantity"], line["amount"], line["applied_quantity"]) == (3, 8700, 0)
    assert (line["discount_amount"], line["discount_quantity"]) == (2900, 1)
    assert (data["order"]["amount"], data["order"]["total_amount"]) == (8700, 5800)


def test_add_new_items_redemption_stores_the_units(http: httpx.Client) -> None:
    """ADD_NEW_ITEMS adds a unit to the line already there; the stored order keeps it."""
    ids = _catalog(http)
    discount_voucher(http, "NEW", _unit(ids["red"], 1, "ADD_NEW_ITEMS"))
    order = {"source_id": "o-new", "items": [_line(ids["red"], 1, 2900)]}
    reply = http.post("/v1/redemptions", json={"redeemables": [voucher_ref("NEW")], "order": order})
    assert reply.status_code == 200, reply.text
    answered = reply.json()["order"]
    line = answered["items"][0]
    assert (line["quantity"], line["initial_quantity"], line["applied_quantity"]) == (2, 1, 1)
    assert (line["amount"], line["discount_amount"], line["subtotal_amount"]) == (5800, 2900, 2900)
    assert (answered["amount"], answered["total_amount"]) == (5800, 2900)
    stored = http.get(f"/v1/orders/{answered['id']}").json()
    assert (stored["amount"], stored["initial_amount"], stored["total_amount"]) == (
        5800,
        2900,
        2900,
    )
    assert stored["items_discount_amount"] == 2900
    kept = stored["items"][0]
    assert (kept["quantity"], kept["amount"], kept["discount_amount"]) == (2, 5800, 2900)
    assert (kept["discount_quantity"], kept["initial_quantity"]) == (1, 1)
    assert "applied_quantity" not in kept


def _many(http: httpx.Client) -> dict[str, str]:
    ids = _catalog(http)
    discount = {
        "type": "UNIT",
        "effect": "ADD_MANY_ITEMS",
        "units": [
            {"unit_type": ids["red"], "unit_off": 1, "effect": "ADD_MISSING_ITEMS"},
            {"unit_type": ids["blue"], "unit_off": 1, "effect": "ADD_NEW_ITEMS"},
        ],
    }
    discount_voucher(http, "MANY", discount)
    return ids


def test_add_many_items_through_the_sdk(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """ADD_MANY_ITEMS frees a red shirt in the cart and adds a blue one; the SDK parses it."""
    ids = _many(http)
    order = {"amount": 6000, "items": [_line(ids["red"], 1, 2900), _line(ids["blue"], 1, 3100)]}
    body = {"redeemables": [voucher_ref("MANY")], "order": order}
    valid = ValidationsApi(sdk).validate_stacked_discounts(
        ValidationsValidateRequestBody.from_dict(body)
    )
    assert valid.valid is True
    units = valid.redeemables[0].result.discount.units
    assert [(u.effect, u.product.id, u.product.name) for u in units] == [
        ("ADD_MISSING_ITEMS", ids["red"], "red"),
        ("ADD_NEW_ITEMS", ids["blue"], "blue"),
    ]
    redeemed = RedemptionsApi(sdk).redeem_stacked_discounts(
        RedemptionsRedeemRequestBody.from_dict(body)
    )
    final = redeemed.order
    assert (final.amount, final.items_discount_amount, final.total_amount) == (9100, 6000, 3100)
    red, blue = final.items
    assert (red.quantity, red.discount_amount, red.subtotal_amount) == (1, 2900, 0)
    assert (blue.quantity, blue.discount_quantity, blue.amount) == (2, 1, 6200)
    assert (blue.discount_amount, blue.subtotal_amount, blue.applied_quantity) == (3100, 3100, 1)
    assert blue.applied_quantity_amount == 3100


def test_units_then_order_discount(http: httpx.Client) -> None:
    """An order discount after the free unit applies to what is left of the grown order."""
    ids = _catalog(http)
    discount_voucher(http, "BLUE", _unit("blue", 1, "ADD_NEW_ITEMS"))
    discount_voucher(http, "TEN", {"type": "PERCENT", "percent_off": 10})
    order = {"items": [_line(ids["blue"], 1, 3100)]}
    refs = [voucher_ref("BLUE"), voucher_ref("TEN")]
    data = http.post("/v1/validations", json={"redeemables": refs, "order": order}).json()
    body = data["order"]
    # 6200 with one blue shirt free (3100); 10 % of the 3100 left is 310.
    assert (body["amount"], body["items_discount_amount"], body["discount_amount"]) == (
        6200,
        3100,
        310,
    )
    assert (body["total_discount_amount"], body["total_amount"]) == (3410, 2790)
    assert data["redeemables"][1]["order"]["applied_discount_amount"] == 310


def test_unit_of_an_unknown_product_is_inapplicable(http: httpx.Client) -> None:
    """A unit type found neither in the order nor in the catalogue makes the voucher fail."""
    _catalog(http)
    discount_voucher(http, "GHOST", _unit("prod_nowhere", 1, "ADD_NEW_ITEMS"))
    reply = http.post(
        "/v1/redemptions",
        json={"redeemables": [voucher_ref("GHOST")], "order": {"items": [_line("x", 1, 100)]}},
    )
    assert reply.status_code == 400
    assert reply.json()["key"] == "product_not_found"
    assert http.get("/v1/vouchers/GHOST").json()["redemption"]["redeemed_quantity"] == 0


def test_proportionally_by_quantity(http: httpx.Client) -> None:
    """PROPORTIONALLY_BY_QUANTITY splits amount_off by the applicable items' quantities."""
    discount = {
        "type": "AMOUNT",
        "amount_off": 1200,
        "effect": "APPLY_TO_ITEMS_PROPORTIONALLY_BY_QUANTITY",
    }
    targets = [{"object": "product", "id": "p-a"}, {"object": "product", "id": "p-c"}]
    discount_voucher(http, "QTY", discount, applicable_to=targets)
    items = [_line("p-a", 2, 1000), _line("p-b", 1, 3000), _line("p-c", 3, 500)]
    data = http.post(
        "/v1/validations", json={"redeemables": [voucher_ref("QTY")], "order": {"items": items}}
    ).json()
    assert data["valid"] is True
    # 1200 over 2 + 3 units: 480 and 720
    assert [i["discount_amount"] for i in data["order"]["items"]] == [480, 0, 720]
    assert (data["order"]["items_discount_amount"], data["order"]["total_amount"]) == (1200, 5300)


def test_rollback_takes_the_units_back(http: httpx.Client) -> None:
    """Rolling back a stack with free units removes the units and their discounts."""
    ids = _many(http)
    discount_voucher(http, "MUGS", _unit("mug-1", 2, "ADD_MISSING_ITEMS"))
    order = {"amount": 6000, "items": [_line(ids["red"], 1, 2900), _line(ids["blue"], 1, 3100)]}
    refs = [voucher_ref("MANY"), voucher_ref("MUGS")]
    redeemed = http.post("/v1/redemptions", json={"redeemables": refs, "order": order}).json()
    # 6000 + a blue shirt (3100) + two mugs (3000); free: red, one blue, two mugs
    assert (redeemed["order"]["amount"], redeemed["order"]["total_amount"]) == (12100, 3100)
    parent = redeemed["parent_redemption"]["id"]
    reply = http.post(f"/v1/redemptions/{parent}/rollbacks", json={})
    assert reply.status_code == 200, reply.text
    stored = http.get(f"/v1/orders/{redeemed['order']['id']}").json()
    assert (stored["amount"], stored["items_discount_amount"], stored["total_amount"]) == (
        6000,
        0,
        6000,
    )
    lines = [(i["quantity"], i["amount"], i["discount_amount"]) for i in stored["items"]]
    assert lines == [(1, 2900, 0), (1, 3100, 0), (0, 0, 0)]
    assert [i["discount_quantity"] for i in stored["items"]] == [0, 0, 0]


def test_tier_rollback_takes_its_units_back(http: httpx.Client) -> None:
    """A promotion tier's UNIT discount adds free mugs; its rollback takes them back off."""
    ids = _catalog(http)
    campaign = promotion(http, "Mugs", tier("Free mugs", _unit("mug-1", 2, "ADD_MISSING_ITEMS")))
    (tier_id,) = tier_ids(campaign)
    order = {"amount": 2900, "items": [_line(ids["red"], 1, 2900)]}
    redeemed = http.post("/v1/redemptions", json={"redeemables": [ref(tier_id)], "order": order})
    assert redeemed.status_code == 200, redeemed.text
    body = redeemed.json()
    assert (body["order"]["amount"], body["order"]["total_amount"]) == (5900, 2900)
    rolled = http.post(f"/v1/redemptions/{body['redemptions'][0]['id']}/rollback", json={})
    assert rolled.status_code == 200, rolled.text
    stored = http.get(f"/v1/orders/{body['order']['id']}").json()
    assert (stored["amount"], stored["items_discount_amount"], stored["total_amount"]) == (
        2900,
        0,
        2900,
    )
    lines = [(i["quantity"], i["amount"], i["discount_amount"]) for i in stored["items"]]
    assert lines == [(1, 2900, 0), (0, 0, 0)]
