"""Earning rules as the spec's examples and build/create-loyalty-campaign.mdx set them: tier
events "for any tier or a specific tier" (``__ANY__``; "the loyalty tier can belong to another
loyalty program") and points proportional to customer metadata (``CUSTOMER_METADATA``)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.loyalty_helpers import card, join, ok, pay, programme


def _rules(http: httpx.Client, club: str, *rules: dict[str, Any]) -> None:
    ok(http.post(f"/v1/loyalties/{club}/earning-rules", json=list(rules)))


def _tiers(http: httpx.Client, club: str) -> list[dict[str, Any]]:
    body = [
        {"name": "Silver", "points": {"from": 100, "to": 499}},
        {"name": "Gold", "points": {"from": 500}},
    ]
    found: list[dict[str, Any]] = ok(http.post(f"/v1/loyalties/{club}/tiers", json=body))
    return found


def test_any_tier_and_another_programmes_tier(http: httpx.Client) -> None:
    """The spec's example, 25 points on ``customer.loyalty.tier.joined`` of ``__ANY__`` tier:
    joining Silver gives 25; a rule of a second programme on the first one's Gold upgrade
    puts 40 points on the member's card in the second programme."""
    club = programme(http, "Club")
    partner = programme(http, "Partner")
    _silver, gold = _tiers(http, club["id"])
    joined = {
        "event": "customer.loyalty.tier.joined",
        "loyalty_tier": {"id": "__ANY__"},
        "loyalty": {"type": "FIXED", "points": 25},
    }
    upgraded = {
        "event": "customer.loyalty.tier.upgraded",
        "loyalty_tier": {"id": gold["id"]},
        "loyalty": {"type": "FIXED", "points": 40},
    }
    _rules(http, club["id"], joined)
    _rules(http, partner["id"], upgraded)
    code = join(http, club["id"], "ivy")["code"]
    other = join(http, partner["id"], "ivy")["code"]
    ok(http.post(f"/v1/loyalties/members/{code}/balance", json={"points": 100}))
    assert card(http, code)["loyalty_card"]["balance"] == 125
    assert card(http, other)["loyalty_card"]["balance"] == 0
    ok(http.post(f"/v1/loyalties/members/{code}/balance", json={"points": 400}))
    assert card(http, code)["loyalty_card"]["balance"] == 525
    assert card(http, other)["loyalty_card"]["balance"] == 40
    listed = ok(http.get(f"/v1/loyalties/{club['id']}/earning-rules"))["data"]
    assert listed[0]["loyalty_tier"] == {"id": "__ANY__"}
    missing = {**upgraded, "loyalty_tier": {"id": "ltr_nope"}}
    response = http.post(f"/v1/loyalties/{partner['id']}/earning-rules", json=[missing])
    assert response.status_code == 404


def test_points_proportional_to_customer_metadata(http: httpx.Client) -> None:
    """The spec's CUSTOMER_METADATA rule (5 points for every 1 of
    ``customer_life_time_value``): a customer valued 12 earns 60 per paid order; the same
    calculation on a tier event gives 4 per 3 (12 → 16); a customer without the property
    earns nothing from it."""
    club = programme(http)
    silver, _gold = _tiers(http, club["id"])
    by_value = {
        "type": "PROPORTIONAL",
        "calculation_type": "CUSTOMER_METADATA",
        "customer": {"metadata": {"every": 1, "points": 5, "property": "customer_life_time_value"}},
    }
    on_tier = {
        **by_value,
        "customer": {"metadata": {"every": 3, "points": 4, "property": "customer_life_time_value"}},
    }
    _rules(
        http,
        club["id"],
        {"event": "order.paid", "loyalty": by_value},
        {
            "event": "customer.loyalty.tier.joined",
            "loyalty_tier": {"id": silver["id"]},
            "loyalty": on_tier,
        },
    )
    metadata = {"customer_life_time_value": 12}
    ok(http.post("/v1/customers", json={"source_id": "val", "metadata": metadata}))
    code = join(http, club["id"], "val")["code"]
    pay(http, "val", 1000)
    assert card(http, code)["loyalty_card"]["balance"] == 60
    ok(http.post(f"/v1/loyalties/members/{code}/balance", json={"points": 40}))
    assert card(http, code)["loyalty_card"]["balance"] == 100 + 16
    plain = join(http, club["id"], "pam")["code"]
    pay(http, "pam", 1000)
    assert card(http, plain)["loyalty_card"]["balance"] == 0
