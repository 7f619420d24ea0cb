"""Tier start and expiry options and tier structure changes over simulated months
(build/loyalty-tiers.mdx: "Points collected in a period – tier status logic", "Point balance –
tier status logic", "Tier structure changes")."""

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


def _tier_id(http: httpx.Client, club: str, name: str) -> str:
    rows = _ok(http.get(f"/v1/loyalties/{club}/tiers"))["data"]
    return str(next(row["id"] for row in rows if row["name"] == name))


def _reshape(http: httpx.Client, club: str, name: str, low: int, high: int | None) -> None:
    body = {"points": {"from": low, "to": high}}
    _ok(http.put(f"/v1/loyalties/{club}/tiers/{_tier_id(http, club, name)}", json=body))


def test_next_period_start_postpones_the_tier_to_the_next_month(
    dev_server: RunningServer,
) -> None:
    """Docs: monthly qualification, points collected on 10 March, NEXT_PERIOD start: the tier
    starts on 1 April (00:00) and, ending with its period, leaves on 1 May."""
    project = new_project(dev_server, "next period tiers")
    setting = {
        "qualification_type": "POINTS_IN_PERIOD",
        "qualification_period": "MONTH",
        "start_date": {"type": "NEXT_PERIOD"},
        "expiration_date": {"type": "END_OF_PERIOD"},
    }
    with project.client() as http:
        _clock(http, {"freeze": True, "set": "2035-03-10T09:00:00.000Z"})
        club, code = _club(http, setting)
        _points(http, club, code, 150)
        in_march = _tier(http, code)
        moved = _clock(http, {"set": "2035-04-02T09:00:00.000Z"})
        in_april = _tier(http, code)
        _clock(http, {"set": "2035-05-02T09:00:00.000Z"})
        in_may = _tier(http, code)
    assert in_march is None
    assert "2035-04-01T00:00:00.000Z" in [step["at"] for step in moved["steps"]]
    assert in_april == ("Silver", "2035-04-30")
    assert in_may is None
    assert _tier_events(dev_server, project) == [
        ("joined", "Silver", "2035-04-01T00:00:00.000Z"),
        ("left", "Silver", "2035-05-01T00:00:00.000Z"),
    ]


def _balance_club(http: httpx.Client, expiration: dict[str, Any]) -> tuple[str, str]:
    return _club(http, {"qualification_type": "BALANCE", "expiration_date": expiration})


def test_custom_expiry_keeps_a_balance_tier_for_months_rounded_to_the_month_end(
    dev_server: RunningServer,
) -> None:
    """Docs: CUSTOM expiry of balance tiers, 3 months from reaching the tier, rounded up to the
    end of the month: Silver on 10 Feb holds to 31 May although the balance drops; Gold on
    20 March holds to 30 June; on 1 July the balance (100) gives Silver again, to 30 September;
    with nothing left the member leaves on 1 October."""
    project = new_project(dev_server, "custom expiry tiers")
    expiration = {"type": "CUSTOM", "extend": "P3M", "rounding": {"type": "MONTH"}}
    seen = []
    with project.client() as http:
        _clock(http, {"freeze": True, "set": "2035-02-10T10:00:00.000Z"})
        club, code = _balance_club(http, expiration)
        _points(http, club, code, 150)
        _points(http, club, code, -120)
        seen.append(_tier(http, code))
        _clock(http, {"set": "2035-03-20T10:00:00.000Z"})
        _points(http, club, code, 470)
        _points(http, club, code, -400)
        seen.append(_tier(http, code))
        moved = _clock(http, {"set": "2035-07-02T10:00:00.000Z"})
        seen.append(_tier(http, code))
        _points(http, club, code, -100)
        seen.append(_tier(http, code))
        _clock(http, {"set": "2035-10-02T10:00:00.000Z"})
        seen.append(_tier(http, code))
    assert seen == [
        ("Silver", "2035-05-31"),
        ("Gold", "2035-06-30"),
        ("Silver", "2035-09-30"),
        ("Silver", "2035-09-30"),
        None,
    ]
    assert "2035-07-01T00:00:00.000Z" in [step["at"] for step in moved["steps"]]
    assert _tier_events(dev_server, project) == [
        ("joined", "Silver", "2035-02-10T10:00:00.000Z"),
        ("upgraded", "Gold", "2035-03-20T10:00:00.000Z"),
        ("downgraded", "Silver", "2035-07-01T00:00:00.000Z"),
        ("left", "Silver", "2035-10-01T00:00:00.000Z"),
    ]


def test_custom_expiry_is_prolonged_when_the_balance_still_fits(
    dev_server: RunningServer,
) -> None:
    """CUSTOM expiry of 1 month rounded to the quarter end: Silver reached on 5 Jan holds to
    31 March; the balance still in range then renews it to 30 June (prolonged)."""
    project = new_project(dev_server, "custom expiry prolonged")
    expiration = {"type": "CUSTOM", "extend": "P1M", "rounding": {"type": "QUARTER"}}
    with project.client() as http:
        _clock(http, {"freeze": True, "set": "2035-01-05T10:00:00.000Z"})
        club, code = _balance_club(http, expiration)
        _points(http, club, code, 150)
        first = _tier(http, code)
        _clock(http, {"set": "2035-04-02T10:00:00.000Z"})
        renewed = _tier(http, code)
    assert (first, renewed) == (("Silver", "2035-03-31"), ("Silver", "2035-06-30"))
    assert _tier_events(dev_server, project) == [
        ("joined", "Silver", "2035-01-05T10:00:00.000Z"),
        ("prolonged", "Silver", "2035-04-01T00:00:00.000Z"),
    ]


def test_structure_changes_upgrade_but_never_downgrade_expiring_tiers(
    dev_server: RunningServer,
) -> None:
    """Docs, tier structure changes: a member holding a tier with an expiration date keeps it
    when thresholds rise past their points, is upgraded when a higher tier comes in reach, and
    loses a removed tier at once."""
    project = new_project(dev_server, "structure changes, period tiers")
    setting = {"qualification_type": "POINTS_IN_PERIOD", "qualification_period": "MONTH"}
    with project.client() as http:
        _clock(http, {"freeze": True, "set": "2035-03-10T09:00:00.000Z"})
        club, code = _club(http, setting)
        _points(http, club, code, 150)
        _clock(http, {"set": "2035-03-11T09:00:00.000Z"})
        _reshape(http, club, "Silver", 50, 99)
        kept = _tier(http, code)
        _clock(http, {"set": "2035-03-12T09:00:00.000Z"})
        _reshape(http, club, "Gold", 100, None)
        upgraded = _tier(http, code)
        _clock(http, {"set": "2035-03-13T09:00:00.000Z"})
        gone = http.delete(f"/v1/loyalties/{club}/tiers/{_tier_id(http, club, 'Gold')}")
        assert gone.status_code == 204
        removed = _tier(http, code)
    assert (kept, upgraded, removed) == (("Silver", "2035-03-31"), ("Gold", "2035-03-31"), None)
    assert _tier_events(dev_server, project) == [
        ("joined", "Silver", "2035-03-10T09:00:00.000Z"),
        ("upgraded", "Gold", "2035-03-12T09:00:00.000Z"),
        ("left", "Gold", "2035-03-13T09:00:00.000Z"),
    ]


def test_structure_changes_move_tiers_without_expiry_both_ways(
    dev_server: RunningServer,
) -> None:
    """Docs, tier structure changes: a balance tier without an expiration date follows the new
    thresholds down (Silver raised past the balance) and up (Gold lowered to it)."""
    project = new_project(dev_server, "structure changes, balance tiers")
    with project.client() as http:
        _clock(http, {"freeze": True, "set": "2035-03-10T09:00:00.000Z"})
        club, code = _balance_club(http, {"type": "BALANCE_DROP"})
        _points(http, club, code, 150)
        _reshape(http, club, "Silver", 200, 499)
        dropped = _tier(http, code)
        _reshape(http, club, "Silver", 50, 99)
        _reshape(http, club, "Gold", 100, None)
        raised = _tier(http, code)
    assert (dropped, raised) == (None, ("Gold", None))
    assert [kind for kind, _, _ in _tier_events(dev_server, project)] == [
        "joined",
        "left",
        "joined",
    ]
