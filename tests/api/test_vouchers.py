"""Vouchers through HTTP: create, read, update, delete, enable/disable, list with filters."""

from __future__ import annotations

import httpx
import pytest

from tests.api.catalog_helpers import discount_campaign
from tests.support.server import Project

AMOUNT = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 1000}}


def test_create_with_generated_code(http: httpx.Client, project: Project) -> None:
    """POST /v1/vouchers generates a code from code_config and returns the full voucher."""
    body = {**AMOUNT, "code_config": {"prefix": "GEN-", "length": 6, "charset": "ABC"}}
    created = http.post("/v1/vouchers", json=body).json()
    assert created["code"].startswith("GEN-")
    assert len(created["code"]) == 10
    assert set(created["code"][4:]) <= set("ABC")
    assert created["id"].startswith("v_")
    assert created["object"] == "voucher"
    assert created["discount"] == {"type": "AMOUNT", "amount_off": 1000, "effect": "APPLY_TO_ORDER"}
    assert created["active"] is True
    assert created["campaign"] is None
    assert created["campaign_id"] is None
    assert created["redemption"] == {
        "object": "list",
        "quantity": None,
        "redeemed_quantity": 0,
        "url": f"/v1/vouchers/{created['code']}/redemptions?page=1&limit=10",
    }
    assert created["publish"]["count"] == 0
    assert created["assets"]["qr"]["url"] == (
        f"{project.base_url}/v1/assets/qr/{created['id']}.png"
    )


def test_create_with_code_all_types_and_validity(http: httpx.Client) -> None:
    """POST /v1/vouchers/{code} stores gift, loyalty and discount vouchers with validity."""
    gift = http.post(
        "/v1/vouchers/GIFT-1",
        json={
            "type": "GIFT_VOUCHER",
            "gift": {"amount": 2500, "effect": "APPLY_TO_ITEMS"},
            "start_date": "2030-01-01T00:00:00Z",
            "expiration_date": "2030-02-01T00:00:00Z",
            "validity_day_of_week": [0, 6],
            "validity_timeframe": {"interval": "P1D", "duration": "PT2H"},
            "redemption": {"quantity": 3},
            "additional_info": "note",
        },
    ).json()
    assert gift["code"] == "GIFT-1"
    assert gift["gift"] == {"amount": 2500, "balance": 2500, "effect": "APPLY_TO_ITEMS"}
    assert gift["discount"] is None
    assert gift["start_date"] == "2030-01-01T00:00:00.000Z"
    assert gift["validity_day_of_week"] == [0, 6]
    assert gift["validity_timeframe"] == {"interval": "P1D", "duration": "PT2H"}
    assert gift["redemption"]["quantity"] == 3
    assert gift["additional_info"] == "note"
    card = http.post(
        "/v1/vouchers/CARD-1", json={"type": "LOYALTY_CARD", "loyalty_card": {"points": 40}}
    ).json()
    assert card["loyalty_card"]["points"] == 40
    assert card["loyalty_card"]["balance"] == 40
    unit = http.post(
        "/v1/vouchers/UNIT-1",
        json={
            "type": "DISCOUNT_VOUCHER",
            "discount": {"type": "UNIT", "unit_off": 1, "unit_type": "prod_1"},
        },
    ).json()
    assert unit["discount"]["effect"] == "ADD_MISSING_ITEMS"
    fixed = http.post(
        "/v1/vouchers/FIX-1",
        json={"type": "DISCOUNT_VOUCHER", "discount": {"type": "FIXED", "fixed_amount": 999}},
    ).json()
    assert fixed["discount"]["fixed_amount"] == 999
    assert http.get("/v1/vouchers/GIFT-1").json() == gift


def test_voucher_joins_named_campaign(http: httpx.Client) -> None:
    """A voucher created with ``campaign`` belongs to it and inherits its discount."""
    campaign = discount_campaign(http)
    created = http.post("/v1/vouchers/JOINED", json={"campaign": "Spring"}).json()
    assert created["campaign"] == "Spring"
    assert created["campaign_id"] == campaign["id"]
    assert created["discount"]["percent_off"] == 10
    assert http.get("/v1/campaigns/Spring").json()["vouchers_count"] == 1


def test_duplicate_code_is_409(http: httpx.Client) -> None:
    """A code is unique in the project."""
    assert http.post("/v1/vouchers/DUP", json=AMOUNT).status_code == 200
    again = http.post("/v1/vouchers", json={**AMOUNT, "code": "DUP"})
    assert again.status_code == 409
    assert again.json()["key"] == "duplicate_found"


def test_update_enable_disable_delete(http: httpx.Client) -> None:
    """PUT changes fields; enable/disable toggle; DELETE removes (force or not)."""
    http.post("/v1/vouchers/U1", json=AMOUNT)
    updated = http.put(
        "/v1/vouchers/U1",
        json={
            "metadata": {"x": 1},
            "expiration_date": "2031-01-01T00:00:00Z",
            "discount": {"type": "PERCENT", "percent_off": 12.5, "amount_limit": 300},
        },
    ).json()
    assert updated["metadata"] == {"x": 1}
    assert updated["expiration_date"] == "2031-01-01T00:00:00.000Z"
    assert updated["discount"]["percent_off"] == 12.5
    assert updated["updated_at"] is not None
    assert http.post("/v1/vouchers/U1/disable").json()["active"] is False
    assert http.post("/v1/vouchers/U1/enable").json()["active"] is True
    assert http.delete("/v1/vouchers/U1", params={"force": "true"}).status_code == 204
    assert http.get("/v1/vouchers/U1").status_code == 404


def test_list_filters_and_order(http: httpx.Client) -> None:
    """Campaign, category, code and holder filters; ordering by code; paging."""
    discount_campaign(http, vouchers_count=3)
    for code in ("B", "A", "C"):
        http.post(f"/v1/vouchers/{code}", json=AMOUNT)
    by_code = http.get("/v1/vouchers", params={"order": "code", "limit": 2, "page": 1}).json()
    assert by_code["total"] == 6
    assert [v["code"] for v in by_code["vouchers"]] == ["A", "B"]
    assert http.get("/v1/vouchers", params={"campaign": "Spring"}).json()["total"] == 3
    assert http.get("/v1/vouchers", params={"campaign": "None"}).json()["total"] == 0
    assert [
        v["code"] for v in http.get("/v1/vouchers", params={"code": "C"}).json()["vouchers"]
    ] == ["C"]
    assert http.get("/v1/vouchers", params={"customer": "nobody"}).json()["total"] == 0
    assert http.get("/v1/vouchers", params={"order": "nope"}).status_code == 400


def test_category_by_name(http: httpx.Client) -> None:
    """A voucher names an existing category; an unknown one is 404."""
    category = http.post("/v1/categories", json={"name": "food", "hierarchy": 1})
    assert category.status_code == 200, category.text
    created = http.post("/v1/vouchers/CAT", json={**AMOUNT, "category": "food"}).json()
    assert created["category"] == "food"
    assert created["categories"][0]["id"] == category.json()["id"]
    filtered = http.get("/v1/vouchers", params={"category": "food"}).json()
    assert [v["code"] for v in filtered["vouchers"]] == ["CAT"]
    missing = http.post("/v1/vouchers/CAT2", json={**AMOUNT, "category": "drinks"})
    assert missing.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"type": "COUPON"},
        {"type": "DISCOUNT_VOUCHER"},
        {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT"}},
        {"type": "DISCOUNT_VOUCHER", "discount": {"type": "PERCENT", "percent_off": 150}},
        {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": "10"}},
        {"type": "DISCOUNT_VOUCHER", "discount": {"type": "UNIT", "unit_off": 1}},
        {"type": "GIFT_VOUCHER", "gift": {"amount": -5}},
        {"type": "LOYALTY_CARD"},
        {**AMOUNT, "code": "x" * 301},
        {**AMOUNT, "metadata": "no"},
        {**AMOUNT, "validity_day_of_week": [9]},
        {**AMOUNT, "expiration_date": "not a date"},
        {**AMOUNT, "code_config": {"length": 0}},
        {**AMOUNT, "redemption": {"quantity": 0}},
    ],
)
def test_bad_voucher_input_is_400(http: httpx.Client, body: dict[str, object]) -> None:
    """Wrong types, missing values, unknown enums and over-long strings are 400s."""
    response = http.post("/v1/vouchers", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["key"] in {"invalid_payload", "invalid_code_config"}


def test_too_small_space_for_a_voucher_is_400(http: httpx.Client) -> None:
    """Once every code of a one-character space is taken, generation says so."""
    body = {**AMOUNT, "code_config": {"pattern": "Z#", "charset": "1"}}
    assert http.post("/v1/vouchers", json=body).json()["code"] == "Z1"
    again = http.post("/v1/vouchers", json=body)
    assert again.status_code == 400
    assert again.json()["key"] == "invalid_code_config"


def test_unknown_voucher_is_404(http: httpx.Client) -> None:
    """Every voucher path answers 404 not_found for an unknown code."""
    for method, path in [
        ("GET", "/v1/vouchers/NOPE"),
        ("PUT", "/v1/vouchers/NOPE"),
        ("DELETE", "/v1/vouchers/NOPE"),
        ("POST", "/v1/vouchers/NOPE/enable"),
        ("POST", "/v1/vouchers/NOPE/disable"),
    ]:
        response = http.request(method, path, json={})
        assert response.status_code == 404, (method, path)
        assert response.json()["key"] == "not_found"
