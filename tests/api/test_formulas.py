"""Dynamic formulas at work (optimize/create-dynamic-formulas.mdx): discount formulas in
validations, points formulas in earning rules, and bad formulas refused when saved."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.loyalty_helpers import card, join, ok, pay, programme


def _campaign(http: httpx.Client, discount: dict[str, Any], name: str = "Dyn") -> httpx.Response:
    body = {
        "name": name,
        "campaign_type": "DISCOUNT_COUPONS",
        "type": "STATIC",
        "voucher": {"type": "DISCOUNT_VOUCHER", "discount": discount},
    }
    return http.post("/v1/campaigns", json=body)


def _discount(http: httpx.Client, code: str, amount: int, **extra: Any) -> int:
    body = {"redeemables": [{"object": "voucher", "id": code}], "order": {"amount": amount}}
    checked = ok(http.post("/v1/validations", json={**body, **extra}))
    assert checked["valid"] is True, checked
    return int(checked["order"]["total_discount_amount"])


def test_amount_formula_from_the_docs(http: httpx.Client) -> None:
    """``IF(ORDER_AMOUNT > 200;ORDER_AMOUNT * 0.15;ORDER_AMOUNT * 0.05)``: 15% above 200.00,
    else 5%; the redemption takes the same amount."""
    formula = "IF(ORDER_AMOUNT > 200;ORDER_AMOUNT * 0.15;ORDER_AMOUNT * 0.05)"
    campaign = ok(
        _campaign(http, {"type": "AMOUNT", "amount_off": 100, "amount_off_formula": formula})
    )
    ok(http.post(f"/v1/campaigns/{campaign['id']}/vouchers/DYN-1", json={}))
    assert _discount(http, "DYN-1", 30000) == 4500
    assert _discount(http, "DYN-1", 10000) == 500
    body = {"redeemables": [{"object": "voucher", "id": "DYN-1"}], "order": {"amount": 40000}}
    redeemed = ok(http.post("/v1/redemptions", json=body))
    assert redeemed["order"]["discount_amount"] == 6000
    assert redeemed["redemptions"][0]["voucher"]["discount"]["amount_off_formula"] == formula


def test_percent_formula_reads_customer_metadata_and_falls_back(http: httpx.Client) -> None:
    """``IF(CUSTOMER_METADATA("tier") is "VIP";25;10)``; a formula whose operand is missing
    gives the stored value (the fallback)."""
    vip = 'IF(CUSTOMER_METADATA("tier") is "VIP";25;10)'
    discount = {"type": "PERCENT", "percent_off": 1, "percent_off_formula": vip}
    campaign = ok(_campaign(http, discount))
    ok(http.post(f"/v1/campaigns/{campaign['id']}/vouchers/VIP-1", json={}))
    ok(http.post("/v1/customers", json={"source_id": "val", "metadata": {"tier": "VIP"}}))
    assert _discount(http, "VIP-1", 10000, customer={"source_id": "val"}) == 2500
    # no such metadata: the comparison cannot be made, the fallback 1% applies
    assert _discount(http, "VIP-1", 10000, customer={"source_id": "nobody"}) == 100
    missing = {"type": "AMOUNT", "amount_off": 300, "amount_off_formula": 'ORDER_METADATA("x") * 2'}
    other = ok(_campaign(http, missing, name="Fallback"))
    ok(http.post(f"/v1/campaigns/{other['id']}/vouchers/FB-1", json={}))
    assert _discount(http, "FB-1", 10000) == 300


def test_points_formula_from_the_docs(http: httpx.Client) -> None:
    """``IF(ORDER_AMOUNT > 500;ROUND(ORDER_AMOUNT * 1.5;0);ROUND(ORDER_AMOUNT;0))`` as a
    FIXED rule's points: a 600.00 order gives 900 points, a 120.50 one 121."""
    club = programme(http)
    formula = "IF(ORDER_AMOUNT > 500;ROUND(ORDER_AMOUNT * 1.5;0);ROUND(ORDER_AMOUNT;0))"
    rule = [
        {
            "event": "order.paid",
            "loyalty": {"type": "FIXED", "points": 1, "points_formula": formula},
        }
    ]
    (stored,) = ok(http.post(f"/v1/loyalties/{club['id']}/earning-rules", json=rule))
    assert stored["loyalty"]["points_formula"] == formula
    code = join(http, club["id"], "pia")["code"]
    pay(http, "pia", 60000)
    assert card(http, code)["loyalty_card"]["balance"] == 900
    pay(http, "pia", 12050)
    assert card(http, code)["loyalty_card"]["balance"] == 1021


def test_proportional_points_formula(http: httpx.Client) -> None:
    """A PROPORTIONAL rule's ``points_formula`` gives the points per ``every``: 2 per 10.00 for
    a VIP, else the fallback 1."""
    club = programme(http)
    spec = {"every": 1000, "points": 1, "points_formula": 'IF(CUSTOMER_METADATA("vip") = 1;2;1)'}
    rule = {
        "event": "order.paid",
        "loyalty": {
            "type": "PROPORTIONAL",
            "calculation_type": "ORDER_AMOUNT",
            "order": {"amount": spec},
        },
    }
    ok(http.post(f"/v1/loyalties/{club['id']}/earning-rules", json=[rule]))
    ok(http.post("/v1/customers", json={"source_id": "vic", "metadata": {"vip": 1}}))
    vic = join(http, club["id"], "vic")["code"]
    other = join(http, club["id"], "oli")["code"]
    pay(http, "vic", 5000)
    pay(http, "oli", 5000)
    assert card(http, vic)["loyalty_card"]["balance"] == 10
    assert card(http, other)["loyalty_card"]["balance"] == 5


def test_bad_formulas_are_400_and_nothing_is_saved(http: httpx.Client) -> None:
    """Malformed, too deep and too long formulas, and per-item operands, are refused when the
    campaign or rule is saved, naming the field and position; nothing is stored."""
    cases = [
        ("IF(ORDER_AMOUNT > 2;5", "position 22", "invalid_payload"),
        ("(" * 30 + "1" + ")" * 30, "nests deeper", "invalid_payload"),
        ("1+" * 1100 + "1", "2000", "invalid_payload"),
        ("ORDER_ITEM_PRICE * 0.01", "product discounts only", "not_supported"),
    ]
    for formula, found, key in cases:
        response = _campaign(
            http, {"type": "AMOUNT", "amount_off": 1, "amount_off_formula": formula}
        )
        assert response.status_code == 400, response.text
        assert response.json()["key"] == key
        assert "discount.amount_off_formula" in response.json()["details"]
        assert found in response.json()["details"]
    assert ok(http.get("/v1/campaigns"))["total"] == 0
    club = programme(http)
    rule = [
        {"event": "order.paid", "loyalty": {"type": "FIXED", "points": 1, "points_formula": "1 +"}}
    ]
    response = http.post(f"/v1/loyalties/{club['id']}/earning-rules", json=rule)
    assert response.status_code == 400
    assert (
        "loyalty.points_formula: expected a value, found the end at position 4"
        in (response.json()["details"])
    )
    assert ok(http.get(f"/v1/loyalties/{club['id']}/earning-rules"))["total"] == 0


def test_order_item_formula_from_the_docs(http: httpx.Client) -> None:
    """optimize/dynamic-formula-reference.mdx, "(order item price) × 0.01 + 1": a 6.00 item
    gets 1.06 off and a 10.00 item 1.10, in a validation and a redemption; a percent formula
    reads each item's metadata."""
    discount = {
        "type": "AMOUNT",
        "effect": "APPLY_TO_ITEMS",
        "amount_off": 1,
        "amount_off_formula": "ORDER_ITEM_PRICE * 0.01 + 1",
    }
    campaign = ok(_campaign(http, discount, name="Per item"))
    ok(http.post(f"/v1/campaigns/{campaign['id']}/vouchers/ITEM-1", json={}))
    items = [
        {"source_id": "mug", "related_object": "product", "quantity": 1, "price": 600},
        {"source_id": "vase", "related_object": "product", "quantity": 1, "price": 1000},
    ]
    body = {"redeemables": [{"object": "voucher", "id": "ITEM-1"}], "order": {"items": items}}
    checked = ok(http.post("/v1/validations", json=body))
    assert checked["order"]["items_discount_amount"] == 216
    assert [item["discount_amount"] for item in checked["order"]["items"]] == [106, 110]
    redeemed = ok(http.post("/v1/redemptions", json=body))
    assert redeemed["order"]["total_discount_amount"] == 216
    sized = {
        "type": "PERCENT",
        "effect": "APPLY_TO_ITEMS",
        "percent_off": 10,
        "percent_off_formula": 'IF(ORDER_ITEM_METADATA("Size") is "L";50;10)',
    }
    other = ok(_campaign(http, sized, name="Sized"))
    ok(http.post(f"/v1/campaigns/{other['id']}/vouchers/SIZE-1", json={}))
    items[1]["metadata"] = {"Size": "L"}
    body = {"redeemables": [{"object": "voucher", "id": "SIZE-1"}], "order": {"items": items}}
    checked = ok(http.post("/v1/validations", json=body))
    assert [item["discount_amount"] for item in checked["order"]["items"]] == [60, 500]


def test_publication_metadata_is_read_from_the_voucher_publication(http: httpx.Client) -> None:
    """``PUBLICATION_METADATA("year")`` reads the metadata of the voucher's publication (to
    the redeeming customer); an unpublished voucher falls back to the stored value."""
    discount = {
        "type": "AMOUNT",
        "amount_off": 100,
        "amount_off_formula": 'PUBLICATION_METADATA("year") - 2000',
    }
    campaign = ok(_campaign(http, discount, name="Published"))
    for code in ("PUB-1", "PUB-2"):
        ok(http.post(f"/v1/campaigns/{campaign['id']}/vouchers/{code}", json={}))
    publication = {"voucher": "PUB-1", "customer": {"source_id": "pia"}, "metadata": {"year": 2026}}
    ok(http.post("/v1/publications", json=publication))
    assert _discount(http, "PUB-1", 10000, customer={"source_id": "pia"}) == 2600
    assert _discount(http, "PUB-1", 10000) == 2600
    assert _discount(http, "PUB-2", 10000, customer={"source_id": "pia"}) == 100


def test_unit_formula_reads_the_line_of_its_product(http: httpx.Client) -> None:
    """A UNIT discount's ``FLOOR(ORDER_ITEM_UNITS_QUANTITY / 3;0)`` ("buy 3, get 1 free") reads
    the order's line of its product: 6 mugs at 5.00 make 2 free (10.00 off)."""
    mug = ok(http.post("/v1/products", json={"source_id": "mug", "name": "Mug", "price": 500}))
    discount = {
        "type": "UNIT",
        "effect": "ADD_MISSING_ITEMS",
        "unit_type": mug["id"],
        "unit_off": 1,
        "unit_off_formula": "FLOOR(ORDER_ITEM_UNITS_QUANTITY / 3;0)",
    }
    campaign = ok(_campaign(http, discount, name="Mugs"))
    ok(http.post(f"/v1/campaigns/{campaign['id']}/vouchers/MUGS-1", json={}))
    items = [{"product_id": mug["id"], "quantity": 6, "price": 500}]
    body = {"redeemables": [{"object": "voucher", "id": "MUGS-1"}], "order": {"items": items}}
    checked = ok(http.post("/v1/validations", json=body))
    assert checked["order"]["items_discount_amount"] == 1000


def test_price_formula_of_a_rule_entry_is_refused(http: httpx.Client) -> None:
    """A validation rule's ``applicable_to`` entry with ``price_formula`` is 400
    ``not_supported`` (it would not be computed; the spec types it as a number) and no rule is
    stored."""
    entry = {"object": "product", "id": "prod_a", "price_formula": "ORDER_ITEM_PRICE * 0.8"}
    rule = {"name": "New price", "rules": {}, "applicable_to": {"included": [entry]}}
    refused = http.post("/v1/validation-rules", json=rule)
    assert (refused.status_code, refused.json()["key"]) == (400, "not_supported")
    assert "price_formula" in refused.json()["details"]
    assert ok(http.get("/v1/validation-rules"))["total"] == 0
