"""``…/members/{id}/orders/payments``: paying an order with points, never overdrawing."""

from __future__ import annotations

from typing import Any

from tests.api.loyalty_v2.helpers import (
    card_definition,
    customer,
    earning_rule,
    member,
    points,
    program,
    race_payments,
)
from tests.support.loyalty_v2 import V2
from tests.support.server import Project

RATIO = {"type": "EXCHANGE_RATIO", "exchange_ratio": {"formula": 2}}


def _order(v2: V2, source_id: str, amount: int) -> dict[str, Any]:
    body = {"amount": amount, "customer": {"source_id": source_id}}
    response = v2.client.post("/v1/orders", json=body)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _member_with(v2: V2, balance: int, **wallet: Any) -> tuple[str, dict[str, Any]]:
    """A member whose only card holds ``balance`` points; (members url, card)."""
    chosen = card_definition(v2, **({"pay_with_points": RATIO} | wallet))
    club = program(v2, [chosen["id"]], [earning_rule(v2, [points(chosen["id"], 1)])["id"]])
    joined = member(v2, club["id"], customer(v2, "ann")["id"])
    card = joined["cards"][0]["card"]
    url = f"/v2/loyalties/programs/{club['id']}/members/{joined['id']}"
    v2.ok("POST", f"{url}/cards/{card['id']}/points", json={"points": balance})
    return url, card


def _balance(v2: V2, url: str) -> int:
    found: int = v2.ok("GET", url)["cards"][0]["card"]["balance"]["points"]
    return found


def test_pay_dry_run_then_transaction(v2: V2) -> None:
    """A dry run says what would be spent and writes nothing; the payment spends the points
    (2 per point), and a second payment pays only what is left of the order."""
    url, card = _member_with(v2, 300)
    order = _order(v2, "ann", 500)
    body = {"card_id": card["id"], "order": {"id": order["id"]}, "mode": "DRY_RUN"}
    dry = v2.ok("POST", f"{url}/orders/payments", json=body)
    assert dry["status"] == "DRY_RUN"
    assert dry["transaction"]["details"]["payment"] == {
        "amount": 500,
        "points_spent": 250,
        "exchange_ratio": 2.0,
    }
    assert _balance(v2, url) == 300
    limited = {
        **body,
        "mode": "TRANSACTION",
        "payment_limit": {"type": "AMOUNT_LIMIT", "amount_limit": {"max": 100}},
    }
    paid = v2.ok("POST", f"{url}/orders/payments", status=202, json=limited)
    assert paid["transaction"]["details"]["payment"]["points_spent"] == 50
    assert paid["transaction"]["status"] == "APPROVED"
    assert _balance(v2, url) == 250
    rest = v2.ok("POST", f"{url}/orders/payments", status=202, json={**body, "mode": None})
    assert rest["transaction"]["details"]["payment"] == {
        "amount": 400,
        "points_spent": 200,
        "exchange_ratio": 2.0,
    }
    assert _balance(v2, url) == 50
    done = v2.post(f"{url}/orders/payments", json={**body, "mode": "TRANSACTION"})
    assert done.status_code == 400
    listed = v2.ok("GET", f"{url}/orders/payments")["data"]
    assert [p["details"]["payment"]["points_spent"] for p in listed] == [200, 50]
    kinds = v2.ok("GET", f"{url}/cards/{card['id']}/transactions")["data"]
    assert [t["type"] for t in kinds][:2] == ["POINTS_SPENT_ON_ORDER", "POINTS_SPENT_ON_ORDER"]


def test_refusals(v2: V2) -> None:
    """No points, a wallet without payments, an unknown order or card: 4xx, nothing spent."""
    url, card = _member_with(v2, 10, pay_with_points={"type": "NO_PAYMENTS"})
    order = _order(v2, "ann", 500)
    body = {"card_id": card["id"], "order": {"id": order["id"]}}
    disabled = v2.post(f"{url}/orders/payments", json=body)
    assert (disabled.status_code, disabled.json()["key"]) == (400, "pay_with_points_disabled")
    assert v2.post(
        f"{url}/orders/payments", json={**body, "order": {"id": "ord_missing"}}
    ).status_code in {400, 404}
    assert v2.post(f"{url}/orders/payments", json={**body, "card_id": "lcrd_00"}).status_code == 404
    assert _balance(v2, url) == 10


def test_concurrent_payments_never_overdraw(v2: V2, project: Project) -> None:
    """Eight payments of a 100-point card race for eight orders: the points spent add up to
    exactly 100, the rest are refused, and the card ends at 0."""
    url, card = _member_with(
        v2, 100, pay_with_points={"type": "EXCHANGE_RATIO", "exchange_ratio": {"formula": 1}}
    )
    orders = [_order(v2, "ann", 30)["id"] for _ in range(8)]

    spent = race_payments(project, url, card["id"], orders, "not_enough_points")
    assert sum(spent) == 100
    assert sorted(spent, reverse=True)[:4] == [30, 30, 30, 10]
    assert _balance(v2, url) == 0


def test_spending_reports(v2: V2) -> None:
    """The programme's spending report counts the order payments per wallet, in total and
    per day."""
    url, card = _member_with(v2, 300)
    order = _order(v2, "ann", 500)
    v2.ok(
        "POST",
        f"{url}/orders/payments",
        status=202,
        json={"card_id": card["id"], "order": {"id": order["id"]}},
    )
    club = url.split("/")[4]
    (total,) = v2.ok("GET", f"/v2/loyalties/programs/{club}/reports/spending/summary")["data"]
    assert (total["card_definition_id"], total["success_on_order"]) == (
        card["card_definition_id"],
        1,
    )
    assert (total["points_on_order"], total["amount_on_order"]) == (250, 500)
    today = v2.ok("GET", url)["created_at"][:10]
    window = {"start_date": today, "end_date": today, "resolution": "day"}
    (day,) = v2.ok("GET", f"/v2/loyalties/programs/{club}/reports/spending/daily", params=window)[
        "data"
    ]
    assert (day["date"], day["points"]) == (today, 250)
    filtered = v2.get(
        f"/v2/loyalties/programs/{club}/reports/spending/summary", params={"filters[x]": "1"}
    )
    assert filtered.status_code == 400
