"""Card definitions' earning and spending limits: earnings capped (or refused in full) and
spends refused, with exact figures, days on the project's (Tokyo) calendar."""

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
    race_payments,
)
from tests.support.loyalty_v2 import V2
from tests.support.server import Project, RunningServer

BASE = "/v2/loyalties/card-definitions"
NONE = {"type": "NO_LIMIT", "limits": []}
DAY = {"type": "CURRENT_PERIOD", "current_period": {"unit": "DAY"}}
RATIO_1 = {"type": "EXCHANGE_RATIO", "exchange_ratio": {"formula": 1}}
JOINED = datetime(2031, 3, 10, 12, 0, tzinfo=UTC)  # 21:00 on 10 March in Tokyo
DAY_1 = datetime(2031, 3, 10, 16, 0, tzinfo=UTC)  # 01:00 on 11 March in Tokyo
DAY_1_LATE = datetime(2031, 3, 11, 13, 0, tzinfo=UTC)  # 22:00 on 11 March in Tokyo
DAY_2 = datetime(2031, 3, 11, 16, 0, tzinfo=UTC)  # 01:00 on 12 March in Tokyo


def _limited(limit: dict[str, Any]) -> dict[str, Any]:
    return {"type": "LIMITED", "limits": [limit]}


def _time_based(most: int) -> dict[str, Any]:
    return _limited({"type": "TIME_BASED", "period": DAY, "points": {"max": most}})


def _tokyo(server: RunningServer, project: Project) -> None:
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as admin:
        zone = {"timezone": "Asia/Tokyo"}
        assert admin.put(f"/management/v1/projects/{project.id}", json=zone).status_code == 200


def _member(v2: V2, server: RunningServer, wallet: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A member of a club earning 1 point per 100 on ``wallet``; (member url, card)."""
    rule = earning_rule(v2, [per_amount(wallet["id"], 100, 1)])
    with clock_at(server, JOINED):
        club = program(v2, [wallet["id"]], [rule["id"]])
        joined = member(v2, club["id"], customer(v2, "ann")["id"])
    url = f"/v2/loyalties/programs/{club['id']}/members/{joined['id']}"
    return url, joined["cards"][0]["card"]


def _balance(v2: V2, url: str) -> int:
    found: int = v2.ok("GET", url)["cards"][0]["card"]["balance"]["points"]
    return found


def _paid_at(v2: V2, server: RunningServer, moment: datetime, amount: int) -> None:
    with clock_at(server, moment):
        pay(v2, "ann", amount)


def test_limits_are_kept_and_bad_ones_refused(v2: V2) -> None:
    """LIMITED limits are stored and rendered as sent; a malformed one is 400
    ``invalid_payload`` and nothing is stored."""
    earning = {"global": _time_based(100), "transactions": _limited({"type": "POINTS", "max": 80})}
    spending = {"global": _limited({"type": "SPENDING_BASED", "max": 500}), "transactions": NONE}
    created = card_definition(v2, earning_limits=earning, spending_limits=spending)
    assert created["earning_limits"] == earning
    assert v2.ok("GET", f"{BASE}/{created['id']}")["spending_limits"] == spending
    for bad in (
        {"earning_limits": {"global": {"type": "LIMITED"}, "transactions": NONE}},
        {"earning_limits": {"global": _limited({"type": "BALANCE_BASED"}), "transactions": NONE}},
        {
            "spending_limits": {
                "global": _limited({"type": "BALANCE_BASED", "max": 5}),
                "transactions": NONE,
            }
        },
        {
            "spending_limits": {
                "global": NONE,
                "transactions": _limited({"type": "POINTS", "max": 0}),
            }
        },
    ):
        response = v2.post(BASE, json={"name": "X", "type": "INDIVIDUAL", **bad})
        assert (response.status_code, response.json()["key"]) == (400, "invalid_payload"), bad
    assert [d["id"] for d in v2.ok("GET", BASE)["data"]] == [created["id"]]


def test_time_based_earning_limit_caps_per_project_day(
    v2: V2, server: RunningServer, project: Project
) -> None:
    """At most 100 points per Tokyo day: 60, then 40 of 70, then nothing; the next Tokyo day
    earns again; the earnings report shows what was given."""
    _tokyo(server, project)
    wallet = card_definition(v2, earning_limits={"global": _time_based(100), "transactions": NONE})
    url, _card = _member(v2, server, wallet)
    _paid_at(v2, server, DAY_1, 6_000)
    assert _balance(v2, url) == 60
    _paid_at(v2, server, DAY_1, 7_000)
    assert _balance(v2, url) == 100
    _paid_at(v2, server, DAY_1_LATE, 1_000)
    assert _balance(v2, url) == 100
    _paid_at(v2, server, DAY_2, 5_000)
    assert _balance(v2, url) == 150
    club = url.split("/")[4]
    (total,) = v2.ok("GET", f"/v2/loyalties/programs/{club}/reports/points-earnings/summary")[
        "data"
    ]
    assert total["points"] == 150


def test_transaction_and_balance_earning_limits(v2: V2, server: RunningServer) -> None:
    """A transaction limit of 50 refuses an earning of 60 in full and gives one of 40; a
    balance limit of 100 then caps an earning of 50 to 30 and gives nothing more."""
    limits = {
        "global": _limited({"type": "BALANCE_BASED", "max": 100}),
        "transactions": _limited({"type": "POINTS", "max": 50}),
    }
    url, card = _member(v2, server, card_definition(v2, earning_limits=limits))
    _paid_at(v2, server, DAY_1, 6_000)
    assert _balance(v2, url) == 0
    _paid_at(v2, server, DAY_1, 4_000)
    assert _balance(v2, url) == 40
    with clock_at(server, DAY_1):
        v2.ok("POST", f"{url}/cards/{card['id']}/points", json={"points": 30})
    _paid_at(v2, server, DAY_1, 5_000)
    assert _balance(v2, url) == 100
    _paid_at(v2, server, DAY_1, 1_000)
    assert _balance(v2, url) == 100


def _order(v2: V2, amount: int) -> str:
    response = v2.client.post(
        "/v1/orders", json={"amount": amount, "customer": {"source_id": "ann"}}
    )
    assert response.status_code == 200, response.text
    found: str = response.json()["id"]
    return found


def _payer(
    v2: V2, server: RunningServer, spending: dict[str, Any], balance: int
) -> tuple[str, dict[str, Any]]:
    wallet = card_definition(v2, pay_with_points=RATIO_1, spending_limits=spending)
    url, card = _member(v2, server, wallet)
    with clock_at(server, JOINED):
        v2.ok("POST", f"{url}/cards/{card['id']}/points", json={"points": balance})
    return url, card


def test_spending_limits_cap_payments_then_refuse(v2: V2, server: RunningServer) -> None:
    """150 a day and 100 a payment: 100 then 50 are paid, a third payment that day is 400
    ``spending_limit_exceeded`` with nothing written, and the next day pays again."""
    spending = {
        "global": _time_based(150),
        "transactions": _limited({"type": "POINTS", "max": 100}),
    }
    url, card = _payer(v2, server, spending, 1_000)
    paid = []
    with clock_at(server, DAY_1):
        for _ in range(2):
            body = {"card_id": card["id"], "order": {"id": _order(v2, 300)}}
            done = v2.ok("POST", f"{url}/orders/payments", status=202, json=body)
            paid.append(done["transaction"]["details"]["payment"]["points_spent"])
        body = {"card_id": card["id"], "order": {"id": _order(v2, 300)}}
        refused = v2.post(f"{url}/orders/payments", json=body)
    assert paid == [100, 50]
    assert (refused.status_code, refused.json()["key"]) == (400, "spending_limit_exceeded")
    assert _balance(v2, url) == 850
    assert len(v2.ok("GET", f"{url}/orders/payments")["data"]) == 2
    with clock_at(server, DAY_2):
        again = v2.ok("POST", f"{url}/orders/payments", status=202, json=body)
    assert again["transaction"]["details"]["payment"]["points_spent"] == 100
    assert _balance(v2, url) == 750


def test_lifetime_spending_limit_refuses_purchase(v2: V2, server: RunningServer) -> None:
    """150 points in a card's life: a 100-point reward is bought once, the second purchase is
    400 ``spending_limit_exceeded`` with no points taken and no purchase written."""
    spending = {"global": _limited({"type": "SPENDING_BASED", "max": 150}), "transactions": NONE}
    wallet = card_definition(v2, spending_limits=spending)
    costs = [{"spending": [{"points": 100, "card_definition_id": wallet["id"]}]}]
    material = {"type": "PRODUCT", "product": {"id": "prod_mug"}}
    body = {
        "name": "Mug",
        "type": "MATERIAL",
        "status": "ACTIVE",
        "material": material,
        "costs": costs,
    }
    gift = v2.ok("POST", "/v2/loyalties/rewards", json=body)
    rule = earning_rule(v2, [points(wallet["id"], 1)])
    club = v2.ok(
        "POST",
        "/v2/loyalties/programs",
        json={
            "name": "Club",
            "status": "ACTIVE",
            "card_definitions": [{"id": wallet["id"]}],
            "earning_rules": [{"id": rule["id"]}],
            "rewards": [{"id": gift["id"], "stock": {"type": "UNLIMITED"}}],
        },
    )
    joined = member(v2, club["id"], customer(v2, "ann")["id"])
    card = joined["cards"][0]["card"]
    url = f"/v2/loyalties/programs/{club['id']}/members/{joined['id']}"
    v2.ok("POST", f"{url}/cards/{card['id']}/points", json={"points": 300})
    v2.ok("POST", f"{url}/rewards/purchases", status=202, json={"reward_id": gift["id"]})
    refused = v2.post(f"{url}/rewards/purchases", json={"reward_id": gift["id"]})
    assert (refused.status_code, refused.json()["key"]) == (400, "spending_limit_exceeded")
    assert _balance(v2, url) == 200
    assert len(v2.ok("GET", f"{url}/rewards/purchases")["data"]) == 1
    assert v2.ok("GET", f"/v2/loyalties/programs/{club['id']}/rewards")["data"][0]["redeemed"] == 1


def test_concurrent_payments_never_pass_the_spending_limit(
    v2: V2, server: RunningServer, project: Project
) -> None:
    """Eight payments of 30 race on a 1000-point card limited to 100 a day: exactly 100 points
    are spent (30, 30, 30, 10) and the rest are refused."""
    url, card = _payer(v2, server, {"global": _time_based(100), "transactions": NONE}, 1_000)
    orders = [_order(v2, 30) for _ in range(8)]

    spent = race_payments(project, url, card["id"], orders, "spending_limit_exceeded")
    assert sum(spent) == 100
    assert sorted(spent, reverse=True)[:4] == [30, 30, 30, 10]
    assert _balance(v2, url) == 900
