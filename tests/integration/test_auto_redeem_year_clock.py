"""Auto-redeem with tiers by points collected in a period over a simulated year
(build/loyalty-tiers.mdx: "Qualification is based on collected points (earned) rather than the
current balance. As a result, auto-redeem does not interfere with these tiers")."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.reward_helpers import coupon_campaign, reward
from tests.integration.test_period_tiers_clock import (
    _clock,
    _club,
    _ok,
    _points,
    _tier,
    _tier_events,
)
from tests.support.server import RunningServer, new_project

YEARLY = {"qualification_type": "POINTS_IN_PERIOD", "qualification_period": "YEAR"}


def _auto_reward(http: httpx.Client, club: str) -> None:
    coupon = reward(http, {"campaign": {"id": coupon_campaign(http)["id"]}}, name="Coupon")
    item = {"reward": coupon["id"], "parameters": {"loyalty": {"points": 100, "auto_redeem": True}}}
    _ok(http.post(f"/v1/loyalties/{club}/rewards", json=[item]))


def _balance(http: httpx.Client, code: str) -> Any:
    return _ok(http.get(f"/v1/loyalties/members/{code}"))["loyalty_card"]["balance"]


def test_auto_redeem_leaves_period_tiers_alone_for_a_year(dev_server: RunningServer) -> None:
    """150 points on the 10th of every month against a 100-point auto-redeem reward: the
    balance never passes 100 (50, 0, 50, …) and 18 rewards are issued, yet the points
    collected in the year make the member Silver on 10 January and Gold on 10 April (600),
    held to 31 December; on 1 January the grant ends and the member leaves."""
    project = new_project(dev_server, "auto-redeem year")
    balances, tiers = [], []
    with project.client() as http:
        _clock(http, {"freeze": True, "set": "2035-01-10T09:00:00.000Z"})
        club, code = _club(http, YEARLY)
        _auto_reward(http, club)
        for month in range(1, 13):
            _clock(http, {"set": f"2035-{month:02d}-10T09:00:00.000Z"})
            _points(http, club, code, 150)
            balances.append(_balance(http, code))
            tiers.append(_tier(http, code))
        _clock(http, {"set": "2036-01-02T09:00:00.000Z"})
        after = _tier(http, code)
        rewarded = _ok(http.get("/v1/vouchers", params={"customer": "pat", "limit": 100}))
    assert balances == [50, 0] * 6
    assert tiers[:3] == [("Silver", "2035-12-31")] * 3
    assert tiers[3:] == [("Gold", "2035-12-31")] * 9
    assert after is None
    assert sum(v["type"] == "DISCOUNT_VOUCHER" for v in rewarded["vouchers"]) == 18
    assert _tier_events(dev_server, project) == [
        ("joined", "Silver", "2035-01-10T09:00:00.000Z"),
        ("upgraded", "Gold", "2035-04-10T09:00:00.000Z"),
        ("left", "Gold", "2036-01-01T00:00:00.000Z"),
    ]
