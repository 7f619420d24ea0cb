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
