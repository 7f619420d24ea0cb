"""Wire details the SDKs rely on: empty JSON bodies, date offsets, integer amounts, 202s."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.catalog_helpers import discount_campaign

JSON = {"Content-Type": "application/json"}


def test_empty_json_body_counts_as_empty_object(http: httpx.Client) -> None:
    """POSTs with Content-Type application/json and no body behave as if sent {}."""
    http.post("/v1/vouchers/EMPTY-1", json={"type": "GIFT_VOUCHER", "gift": {"amount": 10}})
    campaign = discount_campaign(http, "Empty bodies")
    assert http.post("/v1/vouchers/EMPTY-1/disable", headers=JSON).json()["active"] is False
    assert http.post("/v1/vouchers/EMPTY-1/enable", headers=JSON).json()["active"] is True
    assert http.post(f"/v1/campaigns/{campaign['id']}/disable", headers=JSON).status_code == 200
    customer = http.post("/v1/customers", headers=JSON)
    assert customer.status_code == 200, customer.text
    assert customer.json()["object"] == "customer"
    missing_type = http.post("/v1/vouchers", headers=JSON)
    assert missing_type.status_code == 400
    assert missing_type.json()["details"].startswith("type is required")


def test_dates_with_z_and_offset(http: httpx.Client) -> None:
    """Voucher and campaign dates are accepted as …Z and …+00:00 (and other offsets)."""
    voucher = http.post(
        "/v1/vouchers/DATES-1",
        json={
            "type": "GIFT_VOUCHER",
            "gift": {"amount": 10},
            "start_date": "2030-01-01T10:00:00+00:00",
            "expiration_date": "2030-01-31T23:59:59Z",
        },
    ).json()
    assert voucher["start_date"] == "2030-01-01T10:00:00.000Z"
    assert voucher["expiration_date"] == "2030-01-31T23:59:59.000Z"
    campaign = discount_campaign(
        http,
        "Dated",
        start_date="2030-02-01T00:00:00Z",
        expiration_date="2030-03-01T02:00:00+02:00",
    )
    assert campaign["start_date"] == "2030-02-01T00:00:00.000Z"
    assert campaign["expiration_date"] == "2030-03-01T00:00:00.000Z"
    updated = http.put(
        "/v1/vouchers/DATES-1", json={"expiration_date": "2030-05-01T00:00:00.000+00:00"}
    ).json()
    assert updated["expiration_date"] == "2030-05-01T00:00:00.000Z"


def _floats(value: Any, path: str = "") -> list[str]:
    """Paths of amount-like keys holding a JSON float anywhere in ``value``."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            here = f"{path}.{key}"
            money = any(word in key for word in ("amount", "balance", "points", "_off"))
            if money and isinstance(inner, float):
                found.append(here)
            found.extend(_floats(inner, here))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found.extend(_floats(inner, f"{path}[{index}]"))
    return found


def test_amounts_are_json_integers(http: httpx.Client) -> None:
    """Amounts, balances and points in voucher, campaign, order and list answers are ints."""
    bodies = [
        http.post("/v1/vouchers/INT-G", json={"type": "GIFT_VOUCHER", "gift": {"amount": 2500}}),
        http.post(
            "/v1/vouchers/INT-L", json={"type": "LOYALTY_CARD", "loyalty_card": {"points": 40}}
        ),
        http.post(
            "/v1/vouchers/INT-D",
            json={"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 300}},
        ),
        http.post(
            "/v1/orders",
            json={"source_id": "int-o", "items": [{"quantity": 2, "price": 1250}]},
        ),
        http.post("/v1/vouchers/INT-G/balance", json={"amount": 500}),
        http.get("/v1/vouchers"),
        http.get("/v1/orders"),
    ]
    for response in bodies:
        assert response.status_code == 200, response.text
        assert _floats(response.json()) == [], response.url
    campaign = discount_campaign(http, "Integers")
    assert _floats(campaign) == []
    order = bodies[3].json()
    assert order["amount"] == 2500
    assert isinstance(order["amount"], int)


def test_campaign_delete_answers_202_with_json(http: httpx.Client) -> None:
    """DELETE /v1/campaigns/{id} answers 202 with a JSON body naming the async action."""
    campaign = discount_campaign(http, "Doomed")
    response = http.delete(f"/v1/campaigns/{campaign['id']}")
    assert response.status_code == 202
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["async_action_id"].startswith("aa_")
