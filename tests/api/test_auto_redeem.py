"""Auto-redeem as build/loyalty-points.mdx ("Auto-redeem") describes it: points deducted and
the reward issued as the balance reaches its cost, before tier checks, at most 25 rewards a
transaction and 10 auto-redemptions a day."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from tests.api.catalog_helpers import outbox
from tests.api.loyalty_helpers import card, clock_at, join, ok, order_rule, pay, programme
from tests.api.reward_helpers import coupon_campaign, reward
from tests.support.server import Project, RunningServer

DAY = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
NEXT_DAY = datetime(2027, 3, 11, 9, 0, tzinfo=UTC)


def _auto(http: httpx.Client, club: dict[str, Any], cost: int = 100) -> dict[str, Any]:
    """A coupon reward costing ``cost`` points, redeemed automatically in the programme."""
    coupon = reward(http, {"campaign": {"id": coupon_campaign(http)["id"]}}, name="Coupon")
    item = {
        "reward": coupon["id"],
        "parameters": {"loyalty": {"points": cost, "auto_redeem": True}},
    }
    offer: dict[str, Any] = ok(http.post(f"/v1/loyalties/{club['id']}/rewards", json=[item]))
    return offer


def _auto_redemptions(http: httpx.Client, code: str) -> list[dict[str, Any]]:
    found = ok(http.get("/v1/redemptions", params={"voucher": code, "limit": 100}))
    return [r for r in found["redemptions"] if r["channel"]["channel_type"] == "AUTO_REDEEM"]


def test_balance_reaching_the_cost_redeems_the_reward(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """250 points against a 100-point reward: two rewards issued in the accrual's transaction,
    50 points left; each redemption names the assignment as its channel and sends
    ``redemption.succeeded`` and ``customer.rewarded``."""
    club = programme(http)
    order_rule(http, club["id"])
    offer = _auto(http, club)
    code = join(http, club["id"], "amy")["code"]
    pay(http, "amy", 25000)
    assert card(http, code)["loyalty_card"]["balance"] == 50
    done = _auto_redemptions(http, code)
    assert [(r["amount"], r["channel"]["channel_id"]) for r in done] == [(100, offer["id"])] * 2
    coupons = ok(http.get("/v1/vouchers", params={"customer": "amy", "limit": 10}))["vouchers"]
    assert sum(v["type"] == "DISCOUNT_VOUCHER" for v in coupons) == 2
    kinds = [row["type"] for row in outbox(server, project)]
    assert kinds.count("customer.rewarded") == 2
    assert kinds.count("redemption.succeeded") == 2


def test_auto_redeem_runs_before_tier_checks(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """The docs' warning: auto-redeem at 100 points and a tier from a 100-point balance — the
    member never reaches the tier (150 earned, 100 spent at once, 50 left, no tier event)."""
    club = programme(http)
    order_rule(http, club["id"])
    _auto(http, club)
    ok(
        http.post(
            f"/v1/loyalties/{club['id']}/tiers", json=[{"name": "X", "points": {"from": 100}}]
        )
    )
    code = join(http, club["id"], "ben")["code"]
    pay(http, "ben", 15000)
    assert card(http, code)["loyalty_card"]["balance"] == 50
    kinds = [row["type"] for row in outbox(server, project)]
    assert "customer.loyalty.tier.joined" not in kinds
    assert ok(http.get("/v1/customers/ben"))["loyalty"]["campaigns"]["Club"] == {
        "points": 50,
        "referred_customers": 0,
    }


def test_at_most_25_rewards_a_transaction(http: httpx.Client) -> None:
    """3000 points against a 100-point reward: 25 rewards (2500 points), 500 points stay."""
    club = programme(http)
    _auto(http, club)
    code = join(http, club["id"], "cat")["code"]
    ok(http.post(f"/v1/loyalties/members/{code}/balance", json={"points": 3000}))
    assert card(http, code)["loyalty_card"]["balance"] == 500
    assert len(_auto_redemptions(http, code)) == 25


def test_at_most_10_auto_redemptions_a_day(http: httpx.Client, server: RunningServer) -> None:
    """Eleven 100-point accruals on 10 March: ten are redeemed, the eleventh's points stay;
    the next day's accrual redeems again."""
    with clock_at(server, DAY):
        club = programme(http)
        order_rule(http, club["id"])
        _auto(http, club)
        code = join(http, club["id"], "dan")["code"]
        for _ in range(11):
            pay(http, "dan", 10000)
        assert card(http, code)["loyalty_card"]["balance"] == 100
        assert len(_auto_redemptions(http, code)) == 10
    with clock_at(server, NEXT_DAY):
        pay(http, "dan", 100)
        assert card(http, code)["loyalty_card"]["balance"] == 1
        assert len(_auto_redemptions(http, code)) == 11


def test_one_auto_redeem_reward_per_programme(http: httpx.Client) -> None:
    """A second auto-redeem assignment in a programme, or a pay-with-points one, is 400."""
    club = programme(http)
    _auto(http, club)
    other = reward(http, {"campaign": {"id": coupon_campaign(http, "More")["id"]}}, name="More")
    item = {"reward": other["id"], "parameters": {"loyalty": {"points": 5, "auto_redeem": True}}}
    response = http.post(f"/v1/loyalties/{club['id']}/rewards", json=[item])
    assert response.status_code == 400
    coin = reward(http, {"coin": {"exchange_ratio": 1, "points_ratio": 10}}, name="Pay")
    response = http.post(
        f"/v1/rewards/{coin['id']}/assignments",
        json={"campaign": club["id"], "parameters": {"loyalty": {"auto_redeem": True}}},
    )
    assert response.status_code == 400
    assert len(ok(http.get(f"/v1/loyalties/{club['id']}/rewards"))["data"]) == 1
