"""A canceled order gives back the points paid on it when the wallet's spent points are
REFUNDABLE (``refunds.spent_points``), once only; NONE keeps them."""

from __future__ import annotations

from typing import Any

from tests.api.loyalty_v2.helpers import (
    card_definition,
    customer,
    earning_rule,
    member,
    points,
    program,
)
from tests.support.loyalty_v2 import V2

RATIO = {"type": "EXCHANGE_RATIO", "exchange_ratio": {"formula": 2}}
BASE = {"name": "x", "type": "INDIVIDUAL"}
RETURN_ALL: dict[str, Any] = {
    "spent_points": {
        "type": "REFUNDABLE",
        "methods": [{"type": "RETURN_POINTS", "mode": "REFUND_ALL"}],
    },
    "earned_points": {"type": "NONE"},
}


def _member(v2: V2, name: str, balance: int, **wallet: Any) -> tuple[str, dict[str, Any]]:
    """A member of a new programme whose only card holds ``balance``; (member url, card)."""
    chosen = card_definition(v2, **({"pay_with_points": RATIO} | wallet))
    club = program(v2, [chosen["id"]], [earning_rule(v2, [points(chosen["id"], 1)])["id"]])
    joined = member(v2, club["id"], customer(v2, name)["id"])
    card = joined["cards"][0]["card"]
    url = f"/v2/loyalties/programs/{club['id']}/members/{joined['id']}"
    v2.ok("POST", f"{url}/cards/{card['id']}/points", json={"points": balance})
    return url, card


def _pay(v2: V2, url: str, card: dict[str, Any], name: str, amount: int) -> str:
    """Create an order of ``amount`` for ``name`` and pay it with the card; the order id."""
    made = v2.client.post("/v1/orders", json={"amount": amount, "customer": {"source_id": name}})
    assert made.status_code == 200, made.text
    order_id: str = made.json()["id"]
    body = {"card_id": card["id"], "order": {"id": order_id}}
    v2.ok("POST", f"{url}/orders/payments", status=202, json=body)
    return order_id


def _status(v2: V2, order_id: str, status: str) -> None:
    response = v2.client.put(f"/v1/orders/{order_id}", json={"status": status})
    assert response.status_code == 200, response.text


def _balance(v2: V2, url: str) -> int:
    found: int = v2.ok("GET", url)["cards"][0]["card"]["balance"]["points"]
    return found


def test_canceled_order_returns_spent_points_once(v2: V2) -> None:
    """300 points, 250 paid on a 500 order (2 per point), canceled: back to 300 with one
    POINTS_REFUNDED; canceled again: still 300; reopened, the full 500 can be paid again
    (250 points) and a new cancel returns only that payment."""
    created = card_definition(v2, "Refundable", pay_with_points=RATIO, refunds=RETURN_ALL)
    assert created["refunds"]["spent_points"] == RETURN_ALL["spent_points"]
    url, card = _member(v2, "ann", 300, pay_with_points=RATIO, refunds=RETURN_ALL)
    order_id = _pay(v2, url, card, "ann", 500)
    assert _balance(v2, url) == 50
    _status(v2, order_id, "CANCELED")
    assert _balance(v2, url) == 300
    listed = v2.ok("GET", f"{url}/cards/{card['id']}/transactions")["data"]
    refunds = [t for t in listed if t["type"] == "POINTS_REFUNDED"]
    assert [r["details"]["points"]["total"] for r in refunds] == [250]
    assert refunds[0]["details"]["order"] == {"id": order_id}
    _status(v2, order_id, "CREATED")
    _status(v2, order_id, "CANCELED")
    assert _balance(v2, url) == 300
    listed = v2.ok("GET", f"{url}/cards/{card['id']}/transactions")["data"]
    assert [t["type"] for t in listed].count("POINTS_REFUNDED") == 1
    _status(v2, order_id, "CREATED")
    body = {"card_id": card["id"], "order": {"id": order_id}}
    again = v2.ok("POST", f"{url}/orders/payments", status=202, json=body)
    assert again["transaction"]["details"]["payment"]["points_spent"] == 250
    assert _balance(v2, url) == 50
    _status(v2, order_id, "CANCELED")
    assert _balance(v2, url) == 300
    listed = v2.ok("GET", f"{url}/cards/{card['id']}/transactions")["data"]
    assert [t["type"] for t in listed].count("POINTS_REFUNDED") == 2


def test_non_refundable_wallet_keeps_spent_points(v2: V2) -> None:
    """A wallet with spent points NONE: the canceled order's 250 points stay spent."""
    url, card = _member(v2, "bob", 300)
    order_id = _pay(v2, url, card, "bob", 500)
    _status(v2, order_id, "CANCELED")
    assert _balance(v2, url) == 50
    listed = v2.ok("GET", f"{url}/cards/{card['id']}/transactions")["data"]
    assert "POINTS_REFUNDED" not in [t["type"] for t in listed]


def test_refund_options_still_refused(v2: V2) -> None:
    """REFUND_ITEM and REFUND_AMOUNT, earned points REFUNDABLE and a REFUNDABLE without a
    method are refused; nothing is created."""
    before = len(v2.ok("GET", "/v2/loyalties/card-definitions")["data"])
    for mode in ("REFUND_ITEM", "REFUND_AMOUNT"):
        spent = {"type": "REFUNDABLE", "methods": [{"type": "RETURN_POINTS", "mode": mode}]}
        body = {**BASE, "refunds": {**RETURN_ALL, "spent_points": spent}}
        response = v2.post("/v2/loyalties/card-definitions", json=body)
        assert (response.status_code, response.json()["key"]) == (400, "not_supported")
    earned = {
        **RETURN_ALL,
        "earned_points": {
            "type": "REFUNDABLE",
            "methods": [{"type": "REVOKE_FROM_BALANCE", "mode": "REVOKE_TO_ZERO"}],
        },
    }
    response = v2.post("/v2/loyalties/card-definitions", json={**BASE, "refunds": earned})
    assert (response.status_code, response.json()["key"]) == (400, "not_supported")
    empty = {**RETURN_ALL, "spent_points": {"type": "REFUNDABLE", "methods": []}}
    response = v2.post("/v2/loyalties/card-definitions", json={**BASE, "refunds": empty})
    assert response.status_code == 400
    assert len(v2.ok("GET", "/v2/loyalties/card-definitions")["data"]) == before
