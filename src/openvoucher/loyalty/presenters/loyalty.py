"""Loyalty objects in Voucherify's shape: balances, point buckets, earning rules, tiers."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso
from openvoucher.loyalty.domain.loyalty import last_day
from openvoucher.loyalty.model import EarningRule

VALIDITY = ("validity_timeframe", "validity_day_of_week", "validity_hours")


def loyalty_balance(
    voucher_id: str, points: int, total: int, balance: int, operation: str | None
) -> dict[str, Any]:
    """A loyalty card's balance object: the signed change ``points``, lifetime ``total`` and
    the new ``balance``; ``operation`` MANUAL/AUTOMATIC (None leaves it out)."""
    body: dict[str, Any] = {
        "points": points,
        "total": total,
        "balance": balance,
        "type": "loyalty_card",
        "object": "balance",
        "related_object": {"id": voucher_id, "type": "voucher"},
    }
    if operation is not None:
        body["operation_type"] = operation
    return body


def bucket(row: dict[str, Any], zone: str | None = None) -> dict[str, Any]:
    """One expiry bucket (``LoyaltyPointsBucket``); ``expires_at`` is its last day (on the
    calendar of the project's time zone ``zone``)."""
    expires = row["expires_at"]
    return {
        "id": row["id"],
        "voucher_id": row["voucher_id"],
        "campaign_id": row["campaign_id"],
        "bucket": {"total_points": int(row["points"])},
        "status": row["status"],
        "expires_at": last_day(expires, zone).isoformat() if expires is not None else None,
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "object": "loyalty_points_bucket",
    }


def earning_rule(row: EarningRule) -> dict[str, Any]:
    """The full earning rule object."""
    body: dict[str, Any] = {
        "id": row.id,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "validation_rule_id": row.validation_rule_id,
        "loyalty": row.loyalty,
        "event": row.event,
        "source": {"banner": row.banner, "object_id": row.campaign_id, "object_type": "campaign"},
        "active": row.active,
        "start_date": row.start_date,
        "expiration_date": row.expiration_date,
        **{key: getattr(row, key) for key in VALIDITY if getattr(row, key) is not None},
        "metadata": row.metadata,
        "automation_id": row.automation_id,
        "object": "earning_rule",
    }
    for optional in (
        "custom_event",
        "loyalty_tier",
        "segment",
        "expiration_rules",
        "pending_points",
    ):
        if getattr(row, optional) is not None:
            body[optional] = getattr(row, optional)
    return body


def simple_earning_rule(row: EarningRule) -> dict[str, Any]:
    """The short earning rule of loyalty events (``SimpleEarningRule``)."""
    parameters = {"event": row.event, "banner": row.banner, "loyalty": row.loyalty}
    if parameters["banner"] is None:  # optional there, and a string when given
        del parameters["banner"]
    if row.loyalty.get("calculation_type") == "CUSTOM_EVENT_METADATA":
        # The spec's only parameters shape for custom events is the calculation itself.
        parameters.update(row.loyalty)
    body = {
        "id": row.id,
        "campaign_id": row.campaign_id,
        "validation_rule_id": row.validation_rule_id,
        "parameters": parameters,
        "automation_id": row.automation_id,
        "active": row.active,
        "metadata": row.metadata,
    }
    if row.segment is not None:
        body["segment"] = row.segment
    return body


def earning_rule_ref(row: EarningRule) -> dict[str, Any]:
    """The earning rule as a transaction's details name it."""
    return {"id": row.id, "source": {"banner": row.banner}}


def tier(row: dict[str, Any], membership: dict[str, Any] | None = None) -> dict[str, Any]:
    """A loyalty tier; with ``membership`` (``{customer_id, since}``) its ``expiration``."""
    attrs = row["attrs"]
    points = {"from": int(row["points_from"]), "to": row["points_to"]}
    body: dict[str, Any] = {
        "id": row["id"],
        "name": row["name"],
        "campaign_id": row["campaign_id"],
        "metadata": attrs.get("metadata") or {},
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "earning_rules": attrs.get("earning_rules") or {},
        "rewards": attrs.get("rewards") or {},
        "config": {"points": points},
        "points": points,
        "object": "loyalty_tier",
    }
    if membership is not None:
        body["expiration"] = {
            "customer_id": membership["customer_id"],
            "campaign_id": row["campaign_id"],
            "tier_id": row["id"],
            "start_date": membership["since"][:10],
            "expiration_date": membership.get("expiration_date"),
            "created_at": membership["since"],
            "updated_at": None,
        }
    return body


def tier_ref(row: dict[str, Any]) -> dict[str, Any]:
    """The tier as a transaction's details name it."""
    return {"id": row["id"], "name": row["name"]}


def custom_event(row: dict[str, Any], customer: dict[str, Any] | None) -> dict[str, Any]:
    """A tracked custom event (``CustomEvent``)."""
    attrs = row["attrs"]
    return {
        "id": row["id"],
        "object": "event",
        "type": row["type"],
        "customer": customer,
        "referral": attrs.get("referral") or {},
        "loyalty": attrs.get("loyalty") or {},
        "metadata": attrs.get("metadata") or {},
        "created_at": iso(row["created_at"]),
    }


def simple_event(event: dict[str, Any]) -> dict[str, Any]:
    """The customer event behind an accrual (``SimpleEvent``)."""
    return {
        "id": event["id"],
        "type": event["type"],
        "category": event.get("category", "EFFECT"),
        "entity_id": event.get("entity_id"),
        "created_at": event.get("created_at"),
        "group_id": event.get("group_id"),
    }
