"""A tier's mappings apply wherever its members earn or spend points (build/loyalty-tiers.mdx,
"Mapping earning rules and rewards")."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.loyalty_helpers import card, join, ok, order_rule, pay, programme
from tests.api.reward_helpers import add_points, assign, buy, coupon_campaign, reward


def _gold(http: httpx.Client, club: dict[str, Any], **mappings: Any) -> dict[str, Any]:
    body = [{"name": "Gold", "points": {"from": 100}, **mappings}]
    (gold,) = ok(http.post(f"/v1/loyalties/{club['id']}/tiers", json=body))
    return dict(gold)


def test_gold_member_pays_the_mapped_reward_cost(http: httpx.Client) -> None:
    """Reward X costs 50% fewer points for Gold members: 100 points become 50; a CUSTOM
    mapping sets 7; a member below Gold pays the base cost."""
    club = programme(http)
    coupons = coupon_campaign(http)
    half = reward(http, {"campaign": {"id": coupons["id"]}}, name="Half")
    custom = reward(http, {"campaign": {"id": coupons["id"]}}, name="Custom")
    half_offer = assign(http, club["id"], half["id"], 100)
    assign(http, club["id"], custom["id"], 40)
    _gold(
        http,
        club,
        rewards={
            half_offer["id"]: {"type": "MULTIPLY", "multiplier": 0.5},
            custom["id"]: {"type": "CUSTOM", "points": 7},
        },
    )
    gold = join(http, club["id"], "gil")["code"]
    add_points(http, gold, 150)
    ok(buy(http, gold, half["id"]))
    assert card(http, gold)["loyalty_card"]["balance"] == 100
    ok(buy(http, gold, custom["id"]))
    assert card(http, gold)["loyalty_card"]["balance"] == 93  # below 100: no longer Gold
    add_points(http, gold, 7)
    plain = join(http, club["id"], "pat")["code"]
    add_points(http, plain, 99)
    ok(buy(http, plain, custom["id"]))
    assert card(http, plain)["loyalty_card"]["balance"] == 59
    affordable = ok(
        http.get(f"/v1/loyalties/members/{gold}/rewards", params={"affordable_only": "true"})
    )
    assert {item["reward"]["name"] for item in affordable["data"]} == {"Half", "Custom"}
    add_points(http, plain, 1)  # 60 points, below Gold: Half costs its base 100
    affordable = ok(
        http.get(f"/v1/loyalties/members/{plain}/rewards", params={"affordable_only": "true"})
    )
    assert {item["reward"]["name"] for item in affordable["data"]} == {"Custom"}


def test_pay_with_points_follows_the_tier_multiplier(http: httpx.Client) -> None:
    """100 = $20 with a 0.5 multiplier for Gold: 100 points pay $40, at the member endpoint and
    in ``POST /v1/redemptions``; a CUSTOM mapping for pay with points is refused."""
    club = programme(http)
    coin = reward(http, {"coin": {"exchange_ratio": 20, "points_ratio": 100}}, name="Pay")
    assign(http, club["id"], coin["id"], None)
    refused = http.post(
        f"/v1/loyalties/{club['id']}/tiers",
        json=[
            {
                "name": "Gold",
                "points": {"from": 100},
                "rewards": {coin["id"]: {"type": "CUSTOM", "points": 3}},
            }
        ],
    )
    assert refused.status_code == 400, refused.text
    assert ok(http.get(f"/v1/loyalties/{club['id']}/tiers"))["total"] == 0
    _gold(http, club, rewards={coin["id"]: {"type": "MULTIPLY", "multiplier": 0.5}})
    code = join(http, club["id"], "gil")["code"]
    add_points(http, code, 500)
    paid = ok(buy(http, code, coin["id"], reward={"points": 100}, order={"amount": 45000}))
    assert paid["order"]["applied_discount_amount"] == 4000
    stack = [{"object": "voucher", "id": code, "reward": {"id": coin["id"], "points": 100}}]
    body = {"redeemables": stack, "order": {"amount": 10000}, "customer": {"source_id": "gil"}}
    stacked = ok(http.post("/v1/redemptions", json=body))
    assert stacked["order"]["total_amount"] == 6000
    assert card(http, code)["loyalty_card"]["balance"] == 300


def test_gold_member_earns_the_mapped_points(http: httpx.Client) -> None:
    """2x points for Gold members: a 10000 order gives 100 points below Gold, 200 in Gold."""
    club = programme(http)
    rule = order_rule(http, club["id"])
    _gold(http, club, earning_rules={rule["id"]: {"type": "MULTIPLY", "multiplier": 2}})
    code = join(http, club["id"], "gil")["code"]
    pay(http, "gil", 10000)
    assert card(http, code)["loyalty_card"]["balance"] == 100
    pay(http, "gil", 10000)
    assert card(http, code)["loyalty_card"]["balance"] == 300


def test_unknown_reward_in_a_tier_mapping_is_refused(http: httpx.Client) -> None:
    """A rewards mapping naming no reward of the programme is a 400 and stores no tier."""
    club = programme(http)
    body = [{"name": "Gold", "points": {"from": 1}, "rewards": {"rew_nope": {"type": "CUSTOM"}}}]
    response = http.post(f"/v1/loyalties/{club['id']}/tiers", json=body)
    assert response.status_code == 400
    assert ok(http.get(f"/v1/loyalties/{club['id']}/tiers"))["total"] == 0


def test_tier_listing_shows_what_members_earn(http: httpx.Client) -> None:
    """A tier's earning-rules listing shows the points per ``every`` its members earn: 1 point
    per 100 with a 2.5 multiplier lists 2 and earns 2 per 100 (a 10000 order: 200); a CUSTOM
    mapping of 3 replaces the rule's points value: 3 per 100 (300)."""
    club = programme(http)
    rule = order_rule(http, club["id"])
    gold = _gold(http, club, earning_rules={rule["id"]: {"type": "MULTIPLY", "multiplier": 2.5}})
    code = join(http, club["id"], "gil")["code"]
    add_points(http, code, 100)
    url = f"/v1/loyalties/{club['id']}/tiers/{gold['id']}"
    (listed,) = ok(http.get(f"{url}/earning-rules"))["data"]
    assert listed["loyalty"]["order"]["total_amount"] == {"every": 100, "points": 2}
    pay(http, "gil", 10000)
    assert card(http, code)["loyalty_card"]["balance"] == 100 + 100 * 2
    custom = {"earning_rules": {rule["id"]: {"type": "CUSTOM", "points": 3}}}
    ok(http.put(url, json=custom))
    (listed,) = ok(http.get(f"{url}/earning-rules"))["data"]
    assert listed["loyalty"]["order"]["total_amount"] == {"every": 100, "points": 3}
    pay(http, "gil", 10000)
    assert card(http, code)["loyalty_card"]["balance"] == 300 + 100 * 3
