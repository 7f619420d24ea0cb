"""Helpers for the loyalty tests: a programme with tiers and an order.paid rule, members."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx

from openvoucher.loyalty.points_expiration import PointsExpirationWorker
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
    "customer.rewarded",
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
    data, found = _reward_parameters(data)
    return found + _checked(kind, data)


REWARD_PARAMETERS = {
    "CAMPAIGN": "4_obj_reward_object_parameters_CAMPAIGN",
    "COIN": "4_obj_reward_object_parameters_COIN",
    "MATERIAL": "4_obj_reward_object_parameters_MATERIAL",
}


def _reward_parameters(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The spec's ``SimpleRedemptionRewardResult.parameters`` is a ``oneOf`` of three objects
    none of which requires its key, so every object matches all three and fails; each reward
    result's parameters are checked against the branch of its ``type`` instead."""
    found: list[str] = []

    def cut(result: Any) -> Any:
        if not isinstance(result, dict) or not isinstance(result.get("parameters"), dict):
            return result
        schema = REWARD_PARAMETERS[str(result.get("type"))]
        found.extend(errors(result["parameters"], schema, null_fields=True))
        return {k: v for k, v in result.items() if k != "parameters"}

    data = dict(data)
    for name in ("redemption", "rollback"):
        if isinstance(data.get(name), dict) and "reward" in data[name]:
            data[name] = {**data[name], "reward": cut(data[name]["reward"])}
    if isinstance(data.get("reward"), dict) and "assignment_id" in data["reward"]:
        data["reward"] = cut(data["reward"])
    redemption = data.get("redemption")
    if isinstance(redemption, dict) and redemption.get("order") and "channel_type" in redemption:
        # customer.rewarded's RedemptionInternal.order is OrderCalculated (see _checked).
        order = {k: v for k, v in redemption["order"].items() if k not in {"customer", "referrer"}}
        found.extend(errors(order, "OrderCalculatedBase", null_fields=True))
        data["redemption"] = {**redemption, "order": None}
    return data, found


def _checked(kind: str, data: dict[str, Any]) -> list[str]:
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


@contextmanager
def clock_at(server: RunningServer, moment: datetime) -> Iterator[None]:
    """Freeze the server's clock at ``moment`` (the expiration worker paused), then restore."""
    worker = next(b for b in server.container.background if isinstance(b, PointsExpirationWorker))
    with worker.paused():
        server.clock.freeze()
        server.clock.set(moment)
        try:
            yield
        finally:
            server.clock.unfreeze()
            server.clock.set(datetime.now(UTC))
