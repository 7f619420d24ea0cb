"""Bodies the Loyalty v2 tests share."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.support.loyalty_v2 import V2
from tests.support.server import Project

ROLLING_12 = {
    "type": "ROLLING_EXPIRATION",
    "rolling_expiration": {"period": {"unit": "MONTH", "value": 12}},
}


def card_definition(v2: V2, name: str = "Points", **extra: Any) -> dict[str, Any]:
    """An ACTIVE card definition."""
    body = {"name": name, "type": "INDIVIDUAL", "status": "ACTIVE", **extra}
    return v2.ok("POST", "/v2/loyalties/card-definitions", json=body)


def earning_rule(v2: V2, effects: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """An ACTIVE ``customer.order.paid`` earning rule with one earning of ``effects``."""
    body = {
        "name": "Orders",
        "status": "ACTIVE",
        "trigger": {"event": "customer.order.paid"},
        "earnings": [{"effects": effects}],
        **extra,
    }
    return v2.ok("POST", "/v2/loyalties/earning-rules", json=body)


def points(card_definition_id: str, value: int) -> dict[str, Any]:
    """A fixed POINTS effect."""
    return {"type": "POINTS", "points": {"value": value, "card_definition_id": card_definition_id}}


def per_amount(card_definition_id: str, every: int, value: int) -> dict[str, Any]:
    """``value`` points for every ``every`` of the order amount."""
    return {
        "type": "POINTS_PROPORTIONAL",
        "points_proportional": {
            "calculation_type": "PRE_DISCOUNT_ORDER_AMOUNT",
            "card_definition_id": card_definition_id,
            "order": {"amount": {"every": every, "value": value}},
        },
    }


def program(v2: V2, wallets: list[str], rules: list[str], status: str = "ACTIVE") -> dict[str, Any]:
    """A programme with those wallets and earning rules."""
    body = {
        "name": "Club",
        "status": status,
        "card_definitions": [{"id": w} for w in wallets],
        "earning_rules": [{"id": r} for r in rules],
    }
    return v2.ok("POST", "/v2/loyalties/programs", json=body)


def customer(v2: V2, source_id: str) -> dict[str, Any]:
    """A customer (v1 API)."""
    response = v2.client.post("/v1/customers", json={"source_id": source_id})
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def member(v2: V2, program_id: str, customer_id: str) -> dict[str, Any]:
    """A new member of the programme."""
    body = {"customer_id": customer_id}
    return v2.ok("POST", f"/v2/loyalties/programs/{program_id}/members", json=body)


def pay(v2: V2, source_id: str, amount: int) -> dict[str, Any]:
    """A PAID order of the customer (v1 API)."""
    body = {"status": "PAID", "amount": amount, "customer": {"source_id": source_id}}
    response = v2.client.post("/v1/orders", json=body)
    assert response.status_code == 200, response.text
    paid: dict[str, Any] = response.json()
    return paid


def tier_structure(
    v2: V2, wallet: str, tiers: list[tuple[str, int, int | None]], **extra: Any
) -> dict[str, Any]:
    """An ACTIVE balance tier structure on ``wallet`` with ``tiers`` (name, min, max);
    ``tiers`` holds the created tiers by name."""
    body = {
        "name": "Levels",
        "type": "POINT_BALANCE",
        "point_balance": {"card_definition_id": wallet},
    }
    structure = v2.ok("POST", "/v2/loyalties/tier-structures", json={**body, **extra})
    url = f"/v2/loyalties/tier-structures/{structure['id']}"
    created = {}
    for name, low, high in tiers:
        bounds = {"min_value": low} if high is None else {"min_value": low, "max_value": high}
        rules = {"type": "POINTS", "points": bounds}
        tier = v2.ok("POST", f"{url}/tiers", json={"name": name, "qualification_rules": rules})
        created[name] = tier["id"]
    v2.ok("POST", f"{url}/activate")
    return {**structure, "tiers": created}


def assign_tiers(v2: V2, program_id: str, structure_id: str) -> dict[str, Any]:
    """Assign the tier structure to the programme."""
    url = f"/v2/loyalties/programs/{program_id}/tier-structures/batch"
    return v2.ok("POST", url, json={"assign": [{"id": structure_id}]})


def race_payments(
    project: Project, url: str, card_id: str, order_ids: list[str], refused: str
) -> list[int]:
    """Pay every order with the card at once (one client each): the points each payment
    spent, 0 for those refused with the key ``refused``."""

    def pay_one(order_id: str) -> int:
        with project.client() as client:
            response = V2(client).post(
                f"{url}/orders/payments", json={"card_id": card_id, "order": {"id": order_id}}
            )
        if response.status_code == 202:
            spent: int = response.json()["transaction"]["details"]["payment"]["points_spent"]
            return spent
        assert response.json()["key"] == refused, response.text
        return 0

    with ThreadPoolExecutor(max_workers=len(order_ids)) as pool:
        return list(pool.map(pay_one, order_ids))
