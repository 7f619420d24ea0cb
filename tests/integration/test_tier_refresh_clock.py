"""Changing a programme's tier settings (build/loyalty-tiers.mdx, "Qualification rules
changes"): without "Refresh tiers" members keep their tiers; with it (``refresh_tiers=true``)
they are re-evaluated under the new rules: upgrades, expiries moved, no downgrades."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.test_period_tiers_clock import (
    _clock,
    _club,
    _ok,
    _points,
    _tier,
    _tier_events,
)
from tests.support.server import RunningServer, new_project

MONTHLY = {"qualification_type": "POINTS_IN_PERIOD", "qualification_period": "MONTH"}
QUARTERLY = {"qualification_type": "POINTS_IN_PERIOD", "qualification_period": "QUARTER"}


def _settle(http: httpx.Client, club: str, setting: dict[str, Any], refresh: bool) -> None:
    params = {"refresh_tiers": "true"} if refresh else {}
    body = {"loyalty_tiers_expiration": setting}
    _ok(http.put(f"/v1/loyalties/{club}", json=body, params=params))


def test_refresh_upgrades_under_new_rules_and_never_downgrades(
    dev_server: RunningServer,
) -> None:
    """300 points in February and 300 in March: Silver monthly. Switching to quarters keeps
    Silver until "Refresh tiers", which upgrades to Gold (600 in Q1) to 31 March; switching
    back to months with a refresh keeps Gold (no downgrade before its expiry)."""
    project = new_project(dev_server, "refresh tiers")
    seen = []
    with project.client() as http:
        _clock(http, {"freeze": True, "set": "2035-02-10T09:00:00.000Z"})
        club, code = _club(http, MONTHLY)
        _points(http, club, code, 300)
        _clock(http, {"set": "2035-03-10T09:00:00.000Z"})
        _points(http, club, code, 300)
        seen.append(_tier(http, code))
        _settle(http, club, QUARTERLY, refresh=False)
        seen.append(_tier(http, code))
        _settle(http, club, QUARTERLY, refresh=True)
        seen.append(_tier(http, code))
        _settle(http, club, MONTHLY, refresh=True)
        seen.append(_tier(http, code))
    assert seen == [
        ("Silver", "2035-03-31"),
        ("Silver", "2035-03-31"),
        ("Gold", "2035-03-31"),
        ("Gold", "2035-03-31"),
    ]
    assert _tier_events(dev_server, project)[-1] == ("upgraded", "Gold", "2035-03-10T09:00:00.000Z")


def test_refresh_moves_expiry_dates(dev_server: RunningServer) -> None:
    """A monthly tier to the end of March is prolonged to the end of April when the expiry
    becomes END_OF_NEXT_PERIOD with a refresh; a CUSTOM balance tier of one month (Silver on
    10 Feb to 10 March) is counted again from 10 Feb under three months (to 10 May)."""
    project = new_project(dev_server, "refresh expiry")
    next_period = {**MONTHLY, "expiration_date": {"type": "END_OF_NEXT_PERIOD"}}
    with project.client() as http:
        _clock(http, {"freeze": True, "set": "2035-03-10T09:00:00.000Z"})
        club, code = _club(http, MONTHLY)
        _points(http, club, code, 150)
        before = _tier(http, code)
        _settle(http, club, next_period, refresh=True)
        after = _tier(http, code)
    assert (before, after) == (("Silver", "2035-03-31"), ("Silver", "2035-04-30"))
    assert _tier_events(dev_server, project)[-1] == (
        "prolonged",
        "Silver",
        "2035-03-10T09:00:00.000Z",
    )
    other = new_project(dev_server, "refresh custom expiry")
    custom = {"qualification_type": "BALANCE", "expiration_date": {"type": "CUSTOM"}}
    with other.client() as http:
        _clock(http, {"freeze": True, "set": "2035-02-10T10:00:00.000Z"})
        club, code = _club(http, {**custom, "expiration_date": {"type": "CUSTOM", "extend": "P1M"}})
        _points(http, club, code, 150)
        before = _tier(http, code)
        _clock(http, {"set": "2035-03-01T10:00:00.000Z"})
        longer = {**custom, "expiration_date": {"type": "CUSTOM", "extend": "P3M"}}
        _settle(http, club, longer, refresh=True)
        after = _tier(http, code)
    assert (before, after) == (("Silver", "2035-03-10"), ("Silver", "2035-05-10"))


def test_expiring_tiers_are_judged_before_points_expire(dev_server: RunningServer) -> None:
    """build/loyalty-points.mdx, "Point and tier calculation on a new day": expiring tiers are
    recalculated before points expire. Silver reached on 10 January by 150 points that expire
    at the end of February, CUSTOM expiry P1M rounded to the month's end (also 1 March 00:00):
    the tier is prolonged to 31 March on the old balance, kept although the points then
    expire, and left on 1 April."""
    project = new_project(dev_server, "tiers before points")
    rules = {"period_type": "MONTH", "period_value": 1, "rounding_type": "END_OF_MONTH"}
    expiration = {"type": "CUSTOM", "extend": "P1M", "rounding": {"type": "MONTH"}}
    body = {
        "name": "Club",
        "voucher": {
            "type": "LOYALTY_CARD",
            "loyalty_card": {"points": 0, "expiration_rules": rules},
        },
        "loyalty_tiers_expiration": {
            "qualification_type": "BALANCE",
            "expiration_date": expiration,
        },
    }
    with project.client() as http:
        _clock(http, {"freeze": True, "set": "2035-01-10T10:00:00.000Z"})
        club = _ok(http.post("/v1/loyalties", json=body))["id"]
        _ok(
            http.post(
                f"/v1/loyalties/{club}/tiers", json=[{"name": "Silver", "points": {"from": 100}}]
            )
        )
        member = {"customer": {"source_id": "pat", "name": "Pat"}}
        code = _ok(http.post(f"/v1/loyalties/{club}/members", json=member))["code"]
        _points(http, club, code, 150)
        first = _tier(http, code)
        _clock(http, {"set": "2035-03-02T10:00:00.000Z"})
        kept = _tier(http, code)
        balance = _ok(http.get(f"/v1/loyalties/members/{code}"))["loyalty_card"]["balance"]
        _clock(http, {"set": "2035-04-02T10:00:00.000Z"})
        after = _tier(http, code)
    assert (first, kept, balance, after) == (
        ("Silver", "2035-02-28"),
        ("Silver", "2035-03-31"),
        0,
        None,
    )
    assert [kind for kind, _, _ in _tier_events(dev_server, project)] == [
        "joined",
        "prolonged",
        "left",
    ]
