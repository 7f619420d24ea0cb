"""Counters under 20+ concurrent writers: customers, campaigns, tiers and rewards lose nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx

from tests.api.catalog_helpers import discount_campaign
from tests.api.loyalty_helpers import join, ok, programme
from tests.api.promotion_helpers import AMOUNT_OFF, promotion, ref, tier, tier_ids
from tests.api.redemption_helpers import discount_voucher, voucher_ref
from tests.api.reward_helpers import add_points, assign, buy, reward
from tests.concurrency.test_redemption_races import _parallel
from tests.support.server import Project

WRITERS = 24
TEN_OFF = {"type": "AMOUNT", "amount_off": 100}


def _summary(http: httpx.Client, source_id: str) -> dict[str, Any]:
    found: dict[str, Any] = ok(http.get(f"/v1/customers/{source_id}"))["summary"]
    return found


def test_one_customer_redeeming_many_vouchers_counts_each(
    project: Project, http: httpx.Client
) -> None:
    """24 concurrent redemptions of 24 vouchers by one customer, beside profile updates."""
    for i in range(WRITERS):
        discount_voucher(http, f"RACE-{i}", TEN_OFF)
    ok(http.post("/v1/customers", json={"source_id": "racer", "email": "r@x.io"}))

    def act(client: httpx.Client, i: int) -> int:
        if i >= WRITERS:
            body = {"name": f"Racer {i}"}
            return client.put("/v1/customers/racer", json=body).status_code
        body = {
            "redeemables": [voucher_ref(f"RACE-{i}")],
            "order": {"amount": 1000 + i},
            "customer": {"source_id": "racer"},
        }
        return client.post("/v1/redemptions", json=body).status_code

    assert Counter(_parallel(project, WRITERS + 6, act)) == {200: WRITERS + 6}
    summary = _summary(http, "racer")
    assert summary["redemptions"]["total_redeemed"] == WRITERS
    assert summary["redemptions"]["total_succeeded"] == WRITERS
    assert summary["orders"]["total_count"] == WRITERS
    assert summary["orders"]["total_amount"] == sum(1000 + i for i in range(WRITERS))
    assert ok(http.get("/v1/customers/racer"))["email"] == "r@x.io"


def test_campaign_vouchers_published_and_redeemed_concurrently(
    project: Project, http: httpx.Client
) -> None:
    """24 concurrent publications then 24 redemptions: distinct codes, exact campaign summary."""
    campaign = discount_campaign(http, "Race campaign")

    def publish(client: httpx.Client, i: int) -> str:
        body = {"campaign": {"name": "Race campaign"}, "customer": {"source_id": f"p{i}"}}
        reply = client.post("/v1/publications", json=body)
        assert reply.status_code == 200, reply.text
        code: str = reply.json()["voucher"]["code"]
        return code

    codes = _parallel(project, WRITERS, publish)
    assert len(set(codes)) == WRITERS

    def redeem(client: httpx.Client, i: int) -> int:
        body = {"redeemables": [voucher_ref(codes[i])], "order": {"amount": 1000}}
        return client.post("/v1/redemptions", json=body).status_code

    assert Counter(_parallel(project, WRITERS, redeem)) == {200: WRITERS}
    summary = ok(http.get(f"/v1/campaigns/{campaign['id']}/summary"))
    assert (summary["publications"], summary["redemptions"]) == (WRITERS, WRITERS)
    assert summary["vouchers_created"] == WRITERS
    assert summary["orders_amount"] == WRITERS * 1000
    listed = ok(http.get("/v1/vouchers", params={"campaign_id": campaign["id"], "limit": 100}))
    assert {v["publish"]["count"] for v in listed["vouchers"]} == {1}


def test_tier_and_customer_counters_under_concurrent_redemptions(
    project: Project, http: httpx.Client
) -> None:
    """24 concurrent redemptions of one tier by one customer: tier and customer both count 24."""
    tier_id = tier_ids(promotion(http, "Race tiers", tier("Ten", AMOUNT_OFF)))[0]

    def redeem(client: httpx.Client, i: int) -> int:
        body = {
            "redeemables": [ref(tier_id)],
            "order": {"amount": 2000},
            "customer": {"source_id": "tier-racer"},
        }
        return client.post("/v1/redemptions", json=body).status_code

    assert Counter(_parallel(project, WRITERS, redeem)) == {200: WRITERS}
    found = ok(http.get(f"/v1/promotions/tiers/{tier_id}"))["summary"]
    assert found["redemptions"]["total_redeemed"] == WRITERS
    assert found["orders"]["total_amount"] == WRITERS * 2000
    summary = _summary(http, "tier-racer")
    assert summary["redemptions"]["total_redeemed"] == WRITERS
    assert summary["orders"]["total_count"] == WRITERS


def test_reward_stock_and_counter_under_concurrent_purchases(
    project: Project, http: httpx.Client
) -> None:
    """24 members buy a reward with 10 in stock at once: 10 get it, the counter says 10."""
    club = programme(http, "Race club")
    product = ok(http.post("/v1/products", json={"name": "Mug", "source_id": "mug"}))
    prize = reward(http, {"product": {"id": product["id"]}}, name="Mug", stock=10)
    assign(http, club["id"], prize["id"], 10)
    cards = [join(http, club["id"], f"member{i}")["code"] for i in range(WRITERS)]
    for code in cards:
        add_points(http, code, 50)

    def purchase(client: httpx.Client, i: int) -> int:
        return buy(client, cards[i], prize["id"]).status_code

    assert Counter(_parallel(project, WRITERS, purchase)) == {200: 10, 400: WRITERS - 10}
    assert ok(http.get(f"/v1/rewards/{prize['id']}"))["redeemed"] == 10
    assert [buy(http, cards[0], prize["id"]).json()["key"]] == ["quantity_exceeded"]
