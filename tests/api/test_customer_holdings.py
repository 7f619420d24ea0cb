"""The customer object's ``loyalty`` and ``summary`` balances follow the cards they hold."""

from __future__ import annotations

import csv
import io
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.api.loyalty_helpers import card, join, ok, order_rule, programme
from tests.support.server import Project


def _gift_card(http: httpx.Client, holder: str, amount: int) -> str:
    campaign = ok(
        http.post(
            "/v1/campaigns",
            json={
                "name": "Gifts",
                "campaign_type": "GIFT_VOUCHERS",
                "voucher": {"type": "GIFT_VOUCHER", "gift": {"amount": amount}},
            },
        )
    )
    given = ok(http.post(f"/v1/campaigns/{campaign['id']}/vouchers/GIFT-HELD", json={}))
    body = {"customer": {"source_id": holder}, "voucher": given["code"]}
    ok(http.post("/v1/publications", json=body))
    return str(given["code"])


def _exported(http: httpx.Client, fields: list[str]) -> list[dict[str, str]]:
    body = {"exported_object": "customer", "parameters": {"fields": fields}}
    export = ok(http.post("/v1/exports", json=body))
    for _ in range(200):
        found = ok(http.get(f"/v1/exports/{export['id']}"))
        if found["status"] == "DONE":
            text = http.get(found["result"]["url"]).text
            return list(csv.DictReader(io.StringIO(text)))
        time.sleep(0.05)
    raise AssertionError("the export did not finish")


def test_customer_reports_points_tier_and_balances(http: httpx.Client) -> None:
    """A member of two programmes with a 160-point card: points summed, per campaign name."""
    club = programme(http, "Club")
    other = programme(http, "Other")
    tiers = [{"name": "Bronze", "points": {"from": 100, "to": 999}}]
    (bronze,) = ok(http.post(f"/v1/loyalties/{club['id']}/tiers", json=tiers))
    code = join(http, club["id"], "ann")["code"]
    second = join(http, other["id"], "ann")["code"]
    ok(http.post(f"/v1/loyalties/members/{code}/balance", json={"points": 160}))
    ok(http.post(f"/v1/loyalties/members/{second}/balance", json={"points": 15}))
    _gift_card(http, "ann", 4200)
    found = ok(http.get("/v1/customers/ann"))
    assert found["loyalty"] == {
        "points": 175,
        "referred_customers": 0,
        "campaigns": {
            "Club": {"points": 160, "referred_customers": 0, "loyalty_tier": bronze["id"]},
            "Other": {"points": 15, "referred_customers": 0},
        },
    }
    redemptions = found["summary"]["redemptions"]
    assert redemptions["gift"] == {"redeemed_amount": 0, "amount_to_go": 4200}
    assert redemptions["loyalty_card"] == {"redeemed_points": 0, "points_to_go": 175}
    listed = ok(http.get("/v1/customers"))["customers"]
    assert [c["loyalty"] for c in listed] == [found["loyalty"]]
    assert ok(http.get(f"/v1/customers/{found['id']}"))["summary"] == found["summary"]


def test_export_carries_real_loyalty_points(http: httpx.Client) -> None:
    """A customer export's ``loyalty_points`` column is the points on the customer's cards."""
    club = programme(http)
    code = join(http, club["id"], "bea")["code"]
    ok(http.post(f"/v1/loyalties/members/{code}/balance", json={"points": 70}))
    (row,) = _exported(http, ["source_id", "loyalty_points", "loyalty_referred_customers"])
    assert row == {"source_id": "bea", "loyalty_points": "70", "loyalty_referred_customers": "0"}


def _accrue(project: Project) -> None:
    with project.client() as client:
        body = {"status": "PAID", "amount": 1000, "customer": {"source_id": "zoe"}}
        ok(client.post("/v1/orders", json=body))


def test_concurrent_accruals_keep_customer_points_equal_to_cards(
    http: httpx.Client, project: Project
) -> None:
    """20 concurrent accruals for one customer: ``loyalty.points`` equals the card balance."""
    club = programme(http)
    order_rule(http, club["id"])
    code = join(http, club["id"], "zoe")["code"]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for future in [pool.submit(_accrue, project) for _ in range(20)]:
            future.result()
    balance = card(http, code)["loyalty_card"]["balance"]
    assert balance == 200
    found: dict[str, Any] = ok(http.get("/v1/customers/zoe"))
    assert found["loyalty"]["points"] == balance
    assert found["loyalty"]["campaigns"]["Club"]["points"] == balance
    assert found["summary"]["redemptions"]["loyalty_card"]["points_to_go"] == balance
