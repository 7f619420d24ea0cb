"""Helpers for the loyalty tests: a programme with tiers and an order.paid rule, members."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.catalog_helpers import outbox
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import data_errors, errors

VALIDATED = {
    "voucher.loyalty_card.transaction.created",
    "voucher.loyalty_card.points_added",
    "customer.voucher.loyalty_card.points_added",
    "voucher.loyalty_card.points_expired",
    "customer.voucher.loyalty_card.points_expired",
    "customer.rewarded.loyalty_points",
    "customer.loyalty.tier.joined",
    "customer.loyalty.tier.upgraded",
    "customer.loyalty.tier.downgraded",
    "customer.loyalty.tier.left",
    "campaign.loyalty_tier.created",
    "campaign.loyalty_tier.updated",
    "campaign.loyalty_tier.deleted",
    "customer.custom_event",
}


def ok(response: httpx.Response) -> Any:
    """The JSON body of a 200 response."""
    assert response.status_code == 200, response.text
    return response.json()


def programme(http: httpx.Client, name: str = "Club", **card: Any) -> dict[str, Any]:
    """A loyalty programme whose points expire 12 months after they are earned."""
    loyalty_card = {"points": 0, "expiration_rules": {"period_type": "MONTH", "period_value": 12}}
    loyalty_card.update(card)
    body = {
        "name": name,
        "voucher": {
            "type": "LOYALTY_CARD",
            "loyalty_card": loyalty_card,
            "code_config": {"pattern": "LC-#####"},
        },
    }
    created: dict[str, Any] = ok(http.post("/v1/loyalties", json=body))
    return created


def join(http: httpx.Client, campaign_id: str, source_id: str, **extra: Any) -> dict[str, Any]:
    """Add a customer (by source_id) as a member; their card."""
    body = {"customer": {"source_id": source_id, "name": source_id.title()}, **extra}
    card: dict[str, Any] = ok(http.post(f"/v1/loyalties/{campaign_id}/members", json=body))
    return card


def order_rule(http: httpx.Client, campaign_id: str, every: int = 100) -> dict[str, Any]:
    """An order.paid rule: 1 point per ``every`` of the order's total amount."""
    body = [
        {
            "event": "order.paid",
            "source": {"banner": "Basic points"},
            "loyalty": {
                "type": "PROPORTIONAL",
                "calculation_type": "ORDER_TOTAL_AMOUNT",
                "order": {"total_amount": {"every": every, "points": 1}},
            },
        }
    ]
    (rule,) = ok(http.post(f"/v1/loyalties/{campaign_id}/earning-rules", json=body))
    return dict(rule)


def pay(http: httpx.Client, source_id: str, amount: int) -> dict[str, Any]:
    """A PAID order of the customer."""
    body = {"status": "PAID", "amount": amount, "customer": {"source_id": source_id}}
    paid: dict[str, Any] = ok(http.post("/v1/orders", json=body))
    return paid


def card(http: httpx.Client, code: str) -> dict[str, Any]:
    """The member's card now."""
    found: dict[str, Any] = ok(http.get(f"/v1/loyalties/members/{code}"))
    return found


def loyalty_events(server: RunningServer, project: Project) -> list[dict[str, Any]]:
    """The project's outbox rows, every loyalty one checked against its webhook schema."""
    rows = outbox(server, project)
    for row in rows:
        if row["type"] in VALIDATED:
            found = _errors(str(row["type"]), row["data"])
            assert found == [], (row["type"], found[:5])
    return rows


def _errors(kind: str, data: dict[str, Any]) -> list[str]:
    """Schema errors of an event's data. The spec's ``OrderCalculated`` (allOf with
    ``additionalProperties: false`` on a part naming only customer and referrer) rejects every
    real order, so an order in ``customer.rewarded.loyalty_points`` is checked against its
    base, ``OrderCalculatedBase``."""
    rule = data.get("earning_rule") or {}
    if kind == "customer.rewarded.loyalty_points" and rule.get("event") not in {None, "order.paid"}:
        # The spec's EarningRule.event enum names custom-event rules "custom_event".
        data = {**data, "earning_rule": {**rule, "event": "custom_event"}}
    if kind != "customer.rewarded.loyalty_points" or data.get("order") is None:
        return data_errors(kind, data)
    order = {k: v for k, v in data["order"].items() if k not in {"customer", "referrer"}}
    rest = data_errors(kind, {**data, "order": None})
    return rest + errors(order, "OrderCalculatedBase", null_fields=True)


def of_type(rows: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """The data of the rows of one event type, oldest first."""
    return [row["data"] for row in rows if row["type"] == kind]
