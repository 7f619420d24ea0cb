"""Requests the spec allows are accepted, with Voucherify's defaults for what they leave out."""

from __future__ import annotations

import httpx
import pytest


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"discount": {"type": "PERCENT", "percent_off": 5}}, "DISCOUNT_VOUCHER"),
        ({"gift": {"amount": 1000}}, "GIFT_VOUCHER"),
        ({"loyalty_card": {"points": 7}}, "LOYALTY_CARD"),
    ],
)
def test_voucher_type_is_inferred(
    http: httpx.Client, body: dict[str, object], expected: str
) -> None:
    """POST /v1/vouchers without ``type`` takes it from discount, gift or loyalty_card."""
    created = http.post("/v1/vouchers", json=body)
    assert created.status_code == 200, created.text
    assert created.json()["type"] == expected


def test_voucher_without_type_or_value_is_400(http: httpx.Client) -> None:
    """Neither a type nor an object to infer it from: a 400 that says what is missing."""
    response = http.post("/v1/vouchers", json={"metadata": {"a": 1}})
    assert response.status_code == 400
    assert "type is required" in response.json()["details"]
    both = http.post("/v1/vouchers", json={"gift": {"amount": 1}, "loyalty_card": {"points": 1}})
    assert both.status_code == 400


@pytest.mark.parametrize(
    ("voucher", "expected"),
    [
        ({"type": "LOYALTY_CARD", "loyalty_card": {"points": 10}}, "LOYALTY_PROGRAM"),
        ({"loyalty_card": {"points": 10}}, "LOYALTY_PROGRAM"),
        ({"type": "GIFT_VOUCHER", "gift": {"amount": 500}}, "GIFT_VOUCHERS"),
        ({"discount": {"type": "AMOUNT", "amount_off": 100}}, "DISCOUNT_COUPONS"),
    ],
)
def test_campaign_type_is_inferred(
    http: httpx.Client, voucher: dict[str, object], expected: str
) -> None:
    """POST /v1/campaigns without ``campaign_type`` takes it from the voucher template."""
    created = http.post(
        "/v1/campaigns",
        json={"name": f"Inferred {expected}", "vouchers_count": 1, "voucher": voucher},
    )
    assert created.status_code == 200, created.text
    assert created.json()["campaign_type"] == expected
    codes = http.get("/v1/vouchers", params={"campaign": created.json()["id"]}).json()
    assert codes["vouchers"][0]["type"] == created.json()["voucher"]["type"]


def test_voucher_list_filters_by_campaign_ids(http: httpx.Client) -> None:
    """``filters[campaign_ids][conditions][$in]`` lists the vouchers of those campaigns."""
    ids = []
    for name in ("First", "Second", "Third"):
        body = {"name": name, "vouchers_count": 1, "voucher": {"gift": {"amount": 100}}}
        ids.append(http.post("/v1/campaigns", json=body).json()["id"])
    params = [
        ("filters[campaign_ids][conditions][$in][0]", ids[0]),
        ("filters[campaign_ids][conditions][$in][1]", ids[2]),
    ]
    listed = http.get("/v1/vouchers", params=params)
    assert listed.status_code == 200, listed.text
    assert sorted(v["campaign_id"] for v in listed.json()["vouchers"]) == sorted([ids[0], ids[2]])


def test_many_items_unit_effect_defaults(http: httpx.Client) -> None:
    """An ADD_MANY_ITEMS unit without ``effect`` (optional in the spec) is ADD_MISSING_ITEMS."""
    product = http.post("/v1/products", json={"name": "Cap", "price": 900}).json()
    discount = {
        "type": "UNIT",
        "effect": "ADD_MANY_ITEMS",
        "units": [{"unit_type": product["id"], "unit_off": 1}],
    }
    created = http.post("/v1/vouchers", json={"discount": discount})
    assert created.status_code == 200, created.text
    (unit,) = created.json()["discount"]["units"]
    assert unit["effect"] == "ADD_MISSING_ITEMS"
