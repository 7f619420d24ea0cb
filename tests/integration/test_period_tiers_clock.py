"""Tiers by points collected in a period over simulated months (build/loyalty-tiers.mdx,
"Points collected in a period"): grants, spending, expiry at period ends, prolongation."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.catalog_helpers import outbox
from tests.support.server import RunningServer, new_project
from tests.support.webhook_spec import data_errors

TIERS = [
    {"name": "Silver", "points": {"from": 100, "to": 499}},
    {"name": "Gold", "points": {"from": 500, "to": None}},
]


def _ok(reply: httpx.Response) -> Any:
    assert reply.status_code == 200, reply.text
    return reply.json()


def _clock(http: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    state: dict[str, Any] = _ok(http.post("/v1/_test/clock", json=body))
    return state


def _club(http: httpx.Client, setting: dict[str, Any]) -> tuple[str, str]:
    """A tier programme with Silver (100-499) and Gold (500+) and one member."""
    voucher = {"type": "LOYALTY_CARD", "loyalty_card": {"points": 0}}
    body = {"name": "Club", "voucher": voucher, "loyalty_tiers_expiration": setting}
    club = _ok(http.post("/v1/loyalties", json=body))
    assert club["loyalty_tiers_expiration"]["qualification_type"] == setting["qualification_type"]
    _ok(http.post(f"/v1/loyalties/{club['id']}/tiers", json=TIERS))
    member = {"customer": {"source_id": "pat", "name": "Pat"}}
    code: str = _ok(http.post(f"/v1/loyalties/{club['id']}/members", json=member))["code"]
    return club["id"], code


def _points(http: httpx.Client, club: str, code: str, points: int) -> None:
    _ok(http.post(f"/v1/loyalties/{club}/members/{code}/balance", json={"points": points}))


def _tier(http: httpx.Client, code: str) -> tuple[str, str | None] | None:
    rows = _ok(http.get(f"/v1/loyalties/members/{code}/tiers"))["data"]
    if not rows:
        return None
    return rows[0]["name"], rows[0]["expiration"]["expiration_date"]


def _tier_events(server: RunningServer, project: Any) -> list[tuple[str, str, str]]:
    """(type, tier, created_at) of each tier event, each valid against its webhook schema."""
    found = []
    for row in outbox(server, project):
        if row["type"].startswith("customer.loyalty.tier."):
            data = row["data"]
            assert data_errors(row["type"], data) == []
            level = data.get("loyalty_tier_to") or data["loyalty_tier"]
            found.append((row["type"].rsplit(".", 1)[1], level["name"], data["created_at"]))
    return found


def test_monthly_tier_survives_spending_and_ends_with_the_month(
    dev_server: RunningServer,
) -> None:
    """Docs: monthly qualification, points collected on 10 March: the tier holds from 10 March
    until 31 March although the member spends points, and ends at 1 April 00:00."""
    project = new_project(dev_server, "monthly tiers")
    with project.client() as http:
        _clock(http, {"freeze": True, "set": "2035-03-10T09:00:00.000Z"})
        club, code = _club(
            http, {"qualification_type": "POINTS_IN_PERIOD", "qualification_period": "MONTH"}
        )
        _points(http, club, code, 150)
        granted = _tier(http, code)
        _points(http, club, code, -120)
        after_spending = _tier(http, code)
        moved = _clock(http, {"set": "2035-04-02T09:00:00.000Z"})
        after_march = _tier(http, code)
    assert granted == after_spending == ("Silver", "2035-03-31")
    assert "2035-04-01T00:00:00.000Z" in [step["at"] for step in moved["steps"]]
    assert after_march is None
    assert _tier_events(dev_server, project) == [
        ("joined", "Silver", "2035-03-10T09:00:00.000Z"),
        ("left", "Silver", "2035-04-01T00:00:00.000Z"),
    ]


def test_quarterly_tiers_over_a_year_with_extension(dev_server: RunningServer) -> None:
    """Quarterly, END_OF_NEXT_PERIOD, extended 7 days: 600 points in Q1 give Gold to 7 July;
    150 in Q2 give Silver, held from 8 July to 7 October; 600 in Q3 upgrade to Gold (to
    7 January), 500 more in Q4 prolong it to 7 April 2036, when it ends."""
    project = new_project(dev_server, "quarterly tiers")
    setting = {
        "qualification_type": "POINTS_IN_PERIOD",
        "qualification_period": "QUARTER",
        "start_date": {"type": "IMMEDIATE"},
        "expiration_date": {"type": "END_OF_NEXT_PERIOD", "extend": "P7D"},
    }
    seen = []
    with project.client() as http:
        _clock(http, {"freeze": True, "set": "2035-02-10T10:00:00.000Z"})
        club, code = _club(http, setting)
        _points(http, club, code, 600)
        seen.append(_tier(http, code))
        _clock(http, {"set": "2035-05-05T10:00:00.000Z"})
        _points(http, club, code, 150)
        seen.append(_tier(http, code))
        _clock(http, {"set": "2035-07-20T10:00:00.000Z"})
        seen.append(_tier(http, code))
        _clock(http, {"set": "2035-08-01T10:00:00.000Z"})
        _points(http, club, code, 600)
        seen.append(_tier(http, code))
        _clock(http, {"set": "2035-11-15T10:00:00.000Z"})
        _points(http, club, code, 500)
        seen.append(_tier(http, code))
        _clock(http, {"set": "2036-04-09T10:00:00.000Z"})
        seen.append(_tier(http, code))
    assert seen == [
        ("Gold", "2035-07-07"),
        ("Gold", "2035-07-07"),
        ("Silver", "2035-10-07"),
        ("Gold", "2036-01-07"),
        ("Gold", "2036-04-07"),
        None,
    ]
    assert _tier_events(dev_server, project) == [
        ("joined", "Gold", "2035-02-10T10:00:00.000Z"),
        ("downgraded", "Silver", "2035-07-08T00:00:00.000Z"),
        ("upgraded", "Gold", "2035-08-01T10:00:00.000Z"),
        ("prolonged", "Gold", "2035-11-15T10:00:00.000Z"),
        ("left", "Gold", "2036-04-08T00:00:00.000Z"),
    ]
