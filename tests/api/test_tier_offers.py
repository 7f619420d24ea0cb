"""A tier's earning rules and rewards, with the tier's points mappings applied."""

from __future__ import annotations

import httpx
import voucherify
from voucherify.api.loyalties_api import LoyaltiesApi

from tests.api.loyalty_helpers import ok, order_rule, programme
from tests.api.reward_helpers import assign, coupon_campaign, reward


def test_tier_earning_rules_and_rewards(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Mapped rules and rewards show the tier's points; others their own; SDK parses both."""
    club = programme(http)
    proportional = order_rule(http, club["id"], every=100)
    fixed_body = [{"event": "order.paid", "loyalty": {"type": "FIXED", "points": 10}}]
    (fixed,) = ok(http.post(f"/v1/loyalties/{club['id']}/earning-rules", json=fixed_body))
    coupons = coupon_campaign(http)
    voucher_reward = reward(http, {"campaign": {"id": coupons["id"]}}, name="Coupon")
    other_reward = reward(http, {"campaign": {"id": coupons["id"]}}, name="Other")
    offered = assign(http, club["id"], voucher_reward["id"], 100)
    plain = assign(http, club["id"], other_reward["id"], 40)
    tier_body = [
        {
            "name": "Gold",
            "points": {"from": 0, "to": 1000},
            "earning_rules": {
                proportional["id"]: {"type": "MULTIPLY", "multiplier": 2.5},
                fixed["id"]: {"type": "CUSTOM", "points": 3},
            },
            "rewards": {voucher_reward["id"]: {"type": "MULTIPLY", "multiplier": 0.5}},
        }
    ]
    (gold,) = ok(http.post(f"/v1/loyalties/{club['id']}/tiers", json=tier_body))
    base = f"/v1/loyalties/{club['id']}/tiers/{gold['id']}"
    rules = ok(http.get(f"{base}/earning-rules"))
    assert (rules["object"], rules["total"]) == ("list", 2)
    by_id = {rule["id"]: rule["loyalty"] for rule in rules["data"]}
    assert by_id[proportional["id"]]["order"] == {"total_amount": {"every": 100, "points": 2}}
    assert by_id[fixed["id"]] == {"type": "FIXED", "points": 3}
    paged = ok(http.get(f"{base}/earning-rules", params={"limit": 1, "page": 2}))
    assert (len(paged["data"]), paged["total"]) == (1, 2)
    rewards = ok(http.get(f"{base}/rewards"))
    costs = {
        item["assignment"]["id"]: item["assignment"]["parameters"]["loyalty"]["points"]
        for item in rewards["data"]
    }
    assert costs == {offered["id"]: 50, plain["id"]: 40}
    assert {item["object"] for item in rewards["data"]} == {"loyalty_tier_reward"}
    api = LoyaltiesApi(sdk)
    parsed_rules = api.list_loyalty_tier_earning_rules(club["id"], gold["id"])
    assert sorted(rule.id for rule in parsed_rules.data) == sorted(by_id)
    parsed_rewards = api.list_loyalty_tier_rewards(club["id"], gold["id"])
    assert {item.assignment.id for item in parsed_rewards.data} == set(costs)
    assert http.get(f"/v1/loyalties/{club['id']}/tiers/ltr_nope/rewards").status_code == 404
