"""``POST /v1/validations``: stacked discounts and gift cards, exact totals, errors as data."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from tests.api.redemption_helpers import discount_voucher, gift_voucher, voucher_ref
from tests.support.server import RunningServer


def test_stack_of_discount_and_gift_card(http: httpx.Client) -> None:
    """The gift card listed first pays first; the 10% discount applies to what it left."""
    discount_voucher(http, "TEN", {"type": "PERCENT", "percent_off": 10, "amount_limit": 5000})
    gift_voucher(http, "GIFT", 3000)
    body = http.post(
        "/v1/validations",
        json={
            "redeemables": [voucher_ref("GIFT", 2000), voucher_ref("TEN")],
            "order": {"amount": 10000},
            "customer": {"source_id": "c-1"},
        },
    ).json()
    assert body["valid"] is True
    assert body["id"].startswith("valid_")
    assert "inapplicable_redeemables" not in body
    gift, ten = body["redeemables"]
    assert ten["status"] == "APPLICABLE"
    assert ten["result"]["discount"]["percent_off"] == 10
    assert ten["order"]["discount_amount"] == 2800
    assert ten["order"]["applied_discount_amount"] == 800
    assert gift["result"]["gift"] == {"credits": 2000, "balance": 3000}
    assert gift["order"]["discount_amount"] == 2000
    assert gift["order"]["applied_discount_amount"] == 2000
    assert gift["order"]["total_amount"] == 8000
    assert body["order"]["amount"] == 10000
    assert body["order"]["total_discount_amount"] == 2800
    assert body["order"]["total_amount"] == 7200
    assert body["stacking_rules"]["redeemables_limit"] == 30
    assert body["tracking_id"].startswith("track_")
    # nothing was redeemed
    assert http.get("/v1/vouchers/GIFT").json()["gift"]["balance"] == 3000


def test_gift_card_pays_at_most_what_is_left(http: httpx.Client) -> None:
    """Without credits a gift card covers the rest of the order, within its balance (after
    the discounts listed before it)."""
    discount_voucher(http, "OFF", {"type": "AMOUNT", "amount_off": 1500})
    gift_voucher(http, "BIG", 100000)
    body = http.post(
        "/v1/validations",
        json={"redeemables": [voucher_ref("OFF"), voucher_ref("BIG")], "order": {"amount": 4000}},
    ).json()
    assert body["redeemables"][1]["result"]["gift"]["credits"] == 2500
    assert body["order"]["total_amount"] == 0


@pytest.mark.parametrize(
    ("discount", "expected"),
    [
        ({"type": "AMOUNT", "amount_off": 1200}, 1200),
        ({"type": "PERCENT", "percent_off": 50, "amount_limit": 3000}, 3000),
        ({"type": "FIXED", "fixed_amount": 7500}, 2500),
        (
            {"type": "UNIT", "unit_off": 2, "unit_type": "prod_a", "effect": "ADD_MISSING_ITEMS"},
            800,
        ),
    ],
)
def test_discount_types(http: httpx.Client, discount: dict[str, object], expected: int) -> None:
    """AMOUNT, PERCENT (amount_limit), FIXED on the order and UNIT on its item give exact sums."""
    discount_voucher(http, "D", discount)
    order = {"items": [{"product_id": "prod_a", "quantity": 25, "price": 400}]}
    body = http.post(
        "/v1/validations", json={"redeemables": [voucher_ref("D")], "order": order}
    ).json()
    assert body["valid"] is True
    assert body["order"]["amount"] == 10000
    assert body["order"]["total_discount_amount"] == expected
    assert body["order"]["total_amount"] == 10000 - expected


def test_invalid_codes_are_data_not_errors(server: RunningServer, http: httpx.Client) -> None:
    """Unknown, disabled, expired, not-yet-active, short gift cards: 200 with valid false."""
    now = server.clock.now()
    amount = {"type": "AMOUNT", "amount_off": 100}
    discount_voucher(http, "OFF", amount, active=False)
    discount_voucher(http, "OLD", amount, expiration_date=(now - timedelta(days=1)).isoformat())
    discount_voucher(http, "NEW", amount, start_date=(now + timedelta(days=1)).isoformat())
    gift_voucher(http, "SMALL", 500)
    refs = [voucher_ref(c) for c in ("NOPE", "OFF", "OLD", "NEW")] + [voucher_ref("SMALL", 900)]
    reply = http.post("/v1/validations", json={"redeemables": refs, "order": {"amount": 1000}})
    assert reply.status_code == 200
    body = reply.json()
    assert body["valid"] is False
    keys = [r["result"]["error"]["key"] for r in body["inapplicable_redeemables"]]
    assert keys == [
        "resource_not_found",
        "voucher_disabled",
        "voucher_expired",
        "voucher_not_active",
        "gift_amount_exceeded",
    ]
    assert [r["status"] for r in body["redeemables"]] == ["INAPPLICABLE"] * 5
    assert body["inapplicable_redeemables"][0]["result"]["error"]["code"] == 404


def test_weekday_rule_uses_the_server_clock(server: RunningServer, http: httpx.Client) -> None:
    """A voucher valid only on another weekday is voucher_not_active_now."""
    weekday = (server.clock.now().weekday() + 1) % 7
    other = (weekday + 3) % 7
    discount_voucher(
        http, "WEEKDAY", {"type": "AMOUNT", "amount_off": 100}, validity_day_of_week=[other]
    )
    body = http.post(
        "/v1/validations", json={"redeemables": [voucher_ref("WEEKDAY")], "order": {"amount": 500}}
    ).json()
    assert body["redeemables"][0]["result"]["error"]["key"] == "voucher_not_active_now"


@pytest.mark.parametrize(
    "redeemables",
    [
        [],
        [{"object": "voucher", "id": f"C{i}"} for i in range(31)],
        [{"object": "voucher", "id": "G", "gift": {"credits": -5}}],
        [{"object": "voucher", "id": "G", "gift": {"credits": 10.5}}],
        [{"object": "voucher", "id": "G"}, {"object": "voucher", "id": "G"}],
        [{"object": "coupon", "id": "G"}],
    ],
)
def test_bad_requests_are_400(http: httpx.Client, redeemables: list[object]) -> None:
    """Empty, more than 30, negative or fractional credits, duplicates, unknown objects: 400."""
    reply = http.post("/v1/validations", json={"redeemables": redeemables, "order": {"amount": 1}})
    assert reply.status_code == 400
    assert reply.json()["key"] == "invalid_payload"


def test_lock_session_holds_the_voucher(http: httpx.Client) -> None:
    """A LOCK session holds the last use for its key until it is released."""
    discount_voucher(
        http, "ONCE", {"type": "AMOUNT", "amount_off": 100}, redemption={"quantity": 1}
    )
    body = {"redeemables": [voucher_ref("ONCE")], "order": {"amount": 500}}
    locked = http.post("/v1/validations", json={**body, "session": {"type": "LOCK"}}).json()
    session = locked["session"]
    assert session["type"] == "LOCK"
    assert session["ttl_unit"] == "DAYS"
    other = http.post("/v1/validations", json=body).json()
    assert other["redeemables"][0]["result"]["error"]["key"] == "quantity_exceeded"
    same = http.post("/v1/validations", json={**body, "session": {"key": session["key"]}}).json()
    assert same["valid"] is True
    released = http.delete(f"/v1/vouchers/ONCE/sessions/{session['key']}")
    assert released.status_code == 204
    assert http.post("/v1/validations", json=body).json()["valid"] is True
    assert http.delete(f"/v1/vouchers/ONCE/sessions/{session['key']}").status_code == 404
