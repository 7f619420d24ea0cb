"""The programme's points-earnings and earning-rules reports and a member's report of one rule:
exact figures from what each rule firing gave, days on the project's (Tokyo) calendar."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from tests.api.loyalty_helpers import clock_at
from tests.api.loyalty_v2.helpers import (
    card_definition,
    customer,
    earning_rule,
    member,
    pay,
    per_amount,
    points,
    program,
)
from tests.support.loyalty_v2 import V2
from tests.support.server import Project, RunningServer

PENDING = {"type": "PERIOD_BASED", "period_based": {"period": {"unit": "DAY", "value": 14}}}
JOINED = datetime(2031, 3, 10, 12, 0, tzinfo=UTC)
# (when, amount): 11 March 01:00 and 19:00 in Tokyo, then 12 March 11:00 in Tokyo
ORDERS = (
    (datetime(2031, 3, 10, 16, 0, tzinfo=UTC), 12_345),
    (datetime(2031, 3, 11, 10, 0, tzinfo=UTC), 2_000),
    (datetime(2031, 3, 12, 2, 0, tzinfo=UTC), 500),
)
DAYS = {"start_date": "2031-03-10", "end_date": "2031-03-12", "resolution": "day"}


def _tokyo(server: RunningServer, project: Project) -> None:
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as admin:
        zone = {"timezone": "Asia/Tokyo"}
        assert admin.put(f"/management/v1/projects/{project.id}", json=zone).status_code == 200


def _earned(v2: V2, server: RunningServer, project: Project) -> dict[str, Any]:
    """Two wallets (main holds points 14 days), rule A (1 per 100 on main, 50 on bonus) and
    rule B (10 on bonus); three paid orders of one member."""
    _tokyo(server, project)
    main = card_definition(v2, "Points", pending_points=PENDING)["id"]
    bonus = card_definition(v2, "Bonus")["id"]
    rule_a = earning_rule(v2, [per_amount(main, 100, 1), points(bonus, 50)])
    rule_b = earning_rule(v2, [points(bonus, 10)])
    with clock_at(server, JOINED):
        club = program(v2, [main, bonus], [rule_a["id"], rule_b["id"]])["id"]
        joined = member(v2, club, customer(v2, "ann")["id"])["id"]
    for moment, amount in ORDERS:
        with clock_at(server, moment):
            pay(v2, "ann", amount)
    return {
        "main": main,
        "bonus": bonus,
        "a": rule_a["id"],
        "a_item": rule_a["earnings"][0]["id"],
        "b": rule_b["id"],
        "b_item": rule_b["earnings"][0]["id"],
        "club": club,
        "member": joined,
    }


def _figures(entries: list[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    return {
        tuple(e.get(k) for k in ("date", "earning_rule_id", "card_definition_id")): tuple(
            e[k] for k in keys
        )
        for e in entries
    }


def test_points_earnings_per_rule_wallet_and_day(
    v2: V2, server: RunningServer, project: Project
) -> None:
    """Per rule, earning item and wallet: credits, points at once and points held pending, in
    total and per Tokyo day (the first order is 11 March in Tokyo, 10 March in UTC)."""
    ids = _earned(v2, server, project)
    url = f"/v2/loyalties/programs/{ids['club']}/reports/points-earnings"
    summary = v2.ok("GET", f"{url}/summary")["data"]
    assert _figures(summary, "success_count", "points", "pending_points") == {
        (None, ids["a"], ids["main"]): (3, 0, 148),
        (None, ids["a"], ids["bonus"]): (3, 150, 0),
        (None, ids["b"], ids["bonus"]): (3, 30, 0),
    }
    assert {e["earning_item_id"] for e in summary} == {ids["a_item"], ids["b_item"]}
    assert {e["object"] for e in summary} == {"program_points_earnings_summary_report"}
    daily = v2.ok("GET", f"{url}/daily", params=DAYS)["data"]
    assert _figures(daily, "success_count", "points", "pending_points") == {
        ("2031-03-10", ids["a"], ids["main"]): (0, 0, 0),
        ("2031-03-10", ids["a"], ids["bonus"]): (0, 0, 0),
        ("2031-03-10", ids["b"], ids["bonus"]): (0, 0, 0),
        ("2031-03-11", ids["a"], ids["main"]): (2, 0, 143),
        ("2031-03-11", ids["a"], ids["bonus"]): (2, 100, 0),
        ("2031-03-11", ids["b"], ids["bonus"]): (2, 20, 0),
        ("2031-03-12", ids["a"], ids["main"]): (1, 0, 5),
        ("2031-03-12", ids["a"], ids["bonus"]): (1, 50, 0),
        ("2031-03-12", ids["b"], ids["bonus"]): (1, 10, 0),
    }
    only_b = {"filters[earning_rule_id][conditions][$is]": ids["b"]}
    assert _figures(v2.ok("GET", f"{url}/summary", params=only_b)["data"], "points") == {
        (None, ids["b"], ids["bonus"]): (30,)
    }
    on_main = {"filters[card_definition_id][conditions][$in][0]": ids["main"]}
    assert _figures(v2.ok("GET", f"{url}/summary", params=on_main)["data"], "pending_points") == {
        (None, ids["a"], ids["main"]): (148,)
    }
    weeks = {**DAYS, "resolution": "week", **only_b}
    (week,) = v2.ok("GET", f"{url}/daily", params=weeks)["data"]
    assert (week["date"], week["success_count"], week["points"]) == ("2031-03-10", 3, 30)


def test_earning_rules_and_member_reports(v2: V2, server: RunningServer, project: Project) -> None:
    """Each rule fired once per paid order (whatever it gave), never failing; the member's
    report of rule A counts its firings per period."""
    ids = _earned(v2, server, project)
    url = f"/v2/loyalties/programs/{ids['club']}/reports/earning-rules"
    summary = v2.ok("GET", f"{url}/summary")["data"]
    assert [(e["earning_rule_id"], e["success_count"], e["failures_count"]) for e in summary] == [
        (ids["a"], 3, 0),
        (ids["b"], 3, 0),
    ]
    assert summary[0]["failures_breakdown"] == {"cooldown": 0, "frequency": 0}
    daily = v2.ok("GET", f"{url}/daily", params=DAYS)["data"]
    assert [(e["date"], e["earning_rule_id"], e["success_count"]) for e in daily] == [
        ("2031-03-10", ids["a"], 0),
        ("2031-03-10", ids["b"], 0),
        ("2031-03-11", ids["a"], 2),
        ("2031-03-11", ids["b"], 2),
        ("2031-03-12", ids["a"], 1),
        ("2031-03-12", ids["b"], 1),
    ]
    only_a = {"filters[earning_rule_id][conditions][$is_not]": ids["b"]}
    assert [
        e["earning_rule_id"] for e in v2.ok("GET", f"{url}/summary", params=only_a)["data"]
    ] == [ids["a"]]
    mine = f"/v2/loyalties/programs/{ids['club']}/members/{ids['member']}/earning-rules"
    days = v2.ok("GET", f"{mine}/{ids['a']}/reports/daily", params=DAYS)["data"]
    assert [(d["date"], d["count"]) for d in days] == [
        ("2031-03-10", 0),
        ("2031-03-11", 2),
        ("2031-03-12", 1),
    ]
    last = {**DAYS, "start_date": "2031-03-12"}
    assert [
        (d["date"], d["count"])
        for d in v2.ok("GET", f"{mine}/{ids['a']}/reports/daily", params=last)["data"]
    ] == [("2031-03-12", 1)]
    month = {**DAYS, "resolution": "month"}
    (total,) = v2.ok("GET", f"{mine}/{ids['b']}/reports/daily", params=month)["data"]
    assert (total["date"], total["count"], total["object"]) == (
        "2031-03-01",
        3,
        "earning_rule_daily_report",
    )


def test_bad_report_requests(v2: V2, server: RunningServer, project: Project) -> None:
    """Unknown programme, member or rule: 404; a range ending before it starts, past the
    resolution's limit or a bad resolution, and filters the report has not: 400."""
    ids = _earned(v2, server, project)
    club = f"/v2/loyalties/programs/{ids['club']}"
    mine = f"{club}/members/{ids['member']}/earning-rules"
    assert v2.get(f"{mine}/lern_00/reports/daily", params=DAYS).status_code == 404
    assert (
        v2.get(
            f"{club}/members/lmbr_00/earning-rules/{ids['a']}/reports/daily", params=DAYS
        ).status_code
        == 404
    )
    missing = "/v2/loyalties/programs/lprg_00/reports/earning-rules/summary"
    assert v2.get(missing).status_code == 404
    for bad in (
        {**DAYS, "end_date": "2031-03-09"},
        {**DAYS, "end_date": "2031-06-30"},
        {**DAYS, "resolution": "year"},
        {**DAYS, "start_date": "10 March"},
        {**DAYS, "resolution": "quarter", "end_date": "2032-06-30"},
    ):
        response = v2.get(f"{mine}/{ids['a']}/reports/daily", params=bad)
        assert response.status_code == 400, bad
    for url, filters in (
        (
            f"{club}/reports/earning-rules/summary",
            {"filters[card_definition_id][conditions][$is]": ids["main"]},
        ),
        (
            f"{club}/reports/points-earnings/summary",
            {"filters[earning_rule_id][conditions][$starts_with]": "lern"},
        ),
        (
            f"{club}/reports/points-earnings/summary",
            {"filters[created_at][conditions][$after]": "2031-01-01"},
        ),
    ):
        response = v2.get(url, params=filters)
        assert response.status_code == 400, filters
        assert response.json()["key"] == "invalid_query_params"
