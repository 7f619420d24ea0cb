"""filters[field][conditions][$op] on GET /v1/vouchers, /v1/customers and /v1/orders."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from tests.support.server import RunningServer

AMOUNT = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 100}}


def _codes(http: httpx.Client, params: list[tuple[str, str]]) -> list[str]:
    response = http.get("/v1/vouchers", params=[*params, ("order", "code"), ("limit", "100")])
    assert response.status_code == 200, response.text
    body = response.json()
    codes = [v["code"] for v in body["vouchers"]]
    assert body["total"] == len(codes)
    return codes


@pytest.fixture
def stocked(http: httpx.Client) -> httpx.Client:
    """Four vouchers with varied codes, metadata, quantities, activity and expiry."""
    specs = {
        "SUMMER-10": {"metadata": {"tier": "gold", "seq": 1}, "redemption": {"quantity": 1}},
        "SUMMER-20": {"metadata": {"tier": "silver", "seq": 2}, "active": False},
        "WINTER-10": {"metadata": {"tier": "gold", "seq": 10, "vip": True}},
        "winter-old": {"expiration_date": "2001-01-01T00:00:00+00:00"},
    }
    for code, extra in specs.items():
        created = http.post(f"/v1/vouchers/{code}", json={**AMOUNT, **extra})
        assert created.status_code == 200, created.text
    return http


def test_string_conditions(stocked: httpx.Client) -> None:
    """$is, $in, $not_in, $starts_with (case-insensitive), $ends_with and $contains."""
    key = "filters[code][conditions]"
    assert _codes(stocked, [(f"{key}[$is]", "SUMMER-10")]) == ["SUMMER-10"]
    assert _codes(stocked, [(f"{key}[$in][0]", "SUMMER-10"), (f"{key}[$in][1]", "WINTER-10")]) == [
        "SUMMER-10",
        "WINTER-10",
    ]
    assert _codes(stocked, [(f"{key}[$not_in][0]", "SUMMER-10")]) == [
        "SUMMER-20",
        "WINTER-10",
        "winter-old",
    ]
    assert _codes(stocked, [(f"{key}[$starts_with]", "winter")]) == ["WINTER-10", "winter-old"]
    assert _codes(stocked, [(f"{key}[$ends_with]", "-10")]) == ["SUMMER-10", "WINTER-10"]
    assert _codes(stocked, [(f"{key}[$contains]", "MER-")]) == ["SUMMER-10", "SUMMER-20"]


def test_metadata_text_and_numbers(stocked: httpx.Client) -> None:
    """metadata.* matches JSON strings, numbers (numerically) and booleans."""
    gold = [("filters[metadata.tier][conditions][$is]", "gold")]
    assert _codes(stocked, gold) == ["SUMMER-10", "WINTER-10"]
    more = [("filters[metadata.seq][conditions][$more_than]", "1")]
    assert _codes(stocked, more) == ["SUMMER-20", "WINTER-10"]
    assert _codes(stocked, [("filters[metadata.seq][conditions][$is]", "10")]) == ["WINTER-10"]
    assert _codes(stocked, [("filters[metadata.vip][conditions][$is]", "true")]) == ["WINTER-10"]
    unknown = [("filters[metadata.tier][conditions][$is_unknown]", "")]
    assert _codes(stocked, unknown) == ["winter-old"]


def test_junction_or_and_and(stocked: httpx.Client) -> None:
    """Conditions combine with AND by default and with OR when filters[junction]=OR."""
    both = [
        ("filters[metadata.tier][conditions][$is]", "gold"),
        ("filters[code][conditions][$starts_with]", "SUMMER"),
    ]
    assert _codes(stocked, both) == ["SUMMER-10"]
    either = [*both, ("filters[junction]", "OR")]
    assert _codes(stocked, either) == ["SUMMER-10", "SUMMER-20", "WINTER-10"]


def test_voucher_state_and_numbers_and_dates(stocked: httpx.Client) -> None:
    """active $enabled/$disabled/$expired/$active, redemption.quantity and expiration_date."""
    state = "filters[active][conditions]"
    assert _codes(stocked, [(f"{state}[$disabled]", "true")]) == ["SUMMER-20"]
    assert _codes(stocked, [(f"{state}[$expired]", "true")]) == ["winter-old"]
    assert _codes(stocked, [(f"{state}[$active]", "true")]) == ["SUMMER-10", "WINTER-10"]
    quantity = [("filters[redemption.quantity][conditions][$is]", "1")]
    assert _codes(stocked, quantity) == ["SUMMER-10"]
    before = [("filters[expiration_date][conditions][$before]", "2020-01-01T00:00:00Z")]
    assert _codes(stocked, before) == ["winter-old"]
    referral = [("filters[is_referral_code][conditions][$is]", "true")]
    assert _codes(stocked, referral) == []


@pytest.mark.parametrize(
    ("key", "value", "detail"),
    [
        ("filters[secret][conditions][$is]", "x", "Filtering by secret is not supported"),
        ("filters[code][conditions][$after]", "x", "$after is not supported for code"),
        ("filters[created_at][conditions][$after]", "soon", "ISO-8601"),
        ("filters[junction]", "maybe", "AND or OR"),
    ],
)
def test_bad_filters_are_400(http: httpx.Client, key: str, value: str, detail: str) -> None:
    """Unknown fields or operators and bad values answer 400 invalid_query_params."""
    for path in ("/v1/vouchers", "/v1/customers", "/v1/orders"):
        response = http.get(path, params={key: value})
        assert response.status_code == 400, (path, response.text)
        body = response.json()
        assert body["key"] == "invalid_query_params"
        if path == "/v1/vouchers" or "secret" in key or "junction" in key:
            assert detail in body["details"]


def test_customers_filters_and_starting_after(http: httpx.Client, server: RunningServer) -> None:
    """Customers filter by email/metadata/address; starting_after pages by created_at."""
    server.clock.freeze()
    try:
        for day, (source, city) in enumerate([("a", "Berlin"), ("b", "Paris"), ("c", "Berlin")]):
            server.clock.set(datetime(2024, 3, day + 1, 12, tzinfo=UTC))
            body = {
                "source_id": source,
                "email": f"{source}@shop.example",
                "address": {"city": city},
                "metadata": {"score": day * 10},
            }
            assert http.post("/v1/customers", json=body).status_code == 200
    finally:
        server.clock.unfreeze()
        server.clock.set(datetime.now(UTC))

    def sources(params: list[tuple[str, str]]) -> list[str]:
        response = http.get("/v1/customers", params=params)
        assert response.status_code == 200, response.text
        return [c["source_id"] for c in response.json()["customers"]]

    city = [("filters[address.city][conditions][$is]", "Berlin")]
    assert sources([*city, ("order", "created_at")]) == ["a", "c"]
    score = [("filters[metadata.score][conditions][$more_than_equal]", "10")]
    assert sources([*score, ("order", "created_at")]) == ["b", "c"]
    email = [("filters[email][conditions][$starts_with]", "B@")]
    assert sources(email) == ["b"]
    newest_first = [("starting_after", "2024-03-03T12:00:00.000Z")]
    assert sources(newest_first) == ["b", "a"]
    oldest_first = [("starting_after", "2024-03-01T12:00:00+00:00"), ("order", "created_at")]
    assert sources(oldest_first) == ["b", "c"]


def test_orders_filters(http: httpx.Client) -> None:
    """Orders filter by status, amount and metadata on both databases."""
    for source, amount, status in [
        ("o1", 1000, "CREATED"),
        ("o2", 5000, "PAID"),
        ("o3", 9000, "PAID"),
    ]:
        body = {"source_id": source, "amount": amount, "status": status, "metadata": {"n": amount}}
        assert http.post("/v1/orders", json=body).status_code == 200

    def sources(params: list[tuple[str, str]]) -> list[str]:
        response = http.get("/v1/orders", params=[*params, ("order", "created_at")])
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["total"] == len(body["orders"])
        return [o["source_id"] for o in body["orders"]]

    assert sources([("filters[status][conditions][$is]", "PAID")]) == ["o2", "o3"]
    assert sources([("filters[amount][conditions][$less_than]", "6000")]) == ["o1", "o2"]
    paid_small = [
        ("filters[status][conditions][$is]", "PAID"),
        ("filters[metadata.n][conditions][$less_than_equal]", "5000"),
    ]
    assert sources(paid_small) == ["o2"]
    created = [("filters[created_at][conditions][$less_than]", "1")]
    assert sources(created) == ["o1", "o2", "o3"]
