"""Customers in Voucherify's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.customers.domain.customer_holdings import Holdings
from openvoucher.kernel.clock import iso

HOLDINGS = "holdings"
"""Key of a customer row carrying its :class:`Holdings` (``customers.customers.with_holdings``);
a row without it renders as holding nothing."""


def _summary(attrs: dict[str, Any], held: Holdings) -> dict[str, Any]:
    stats = attrs.get("summary") or {}
    redemptions = stats.get("redemptions") or {}
    orders = stats.get("orders") or {}
    gift = redemptions.get("gift") or {}
    return {
        "redemptions": {
            "total_redeemed": redemptions.get("total_redeemed", 0),
            "total_failed": redemptions.get("total_failed", 0),
            "total_succeeded": redemptions.get("total_succeeded", 0),
            "total_rolled_back": redemptions.get("total_rolled_back", 0),
            "total_rollback_failed": redemptions.get("total_rollback_failed", 0),
            "total_rollback_succeeded": redemptions.get("total_rollback_succeeded", 0),
            "gift": {
                "redeemed_amount": int(gift.get("redeemed_amount") or 0),
                "amount_to_go": held.amount_to_go,
            },
            "loyalty_card": {
                "redeemed_points": held.redeemed_points,
                "points_to_go": held.points_to_go,
            },
        },
        "orders": {
            "total_amount": orders.get("total_amount", 0),
            "total_count": orders.get("total_count", 0),
            "average_amount": orders.get("average_amount", 0),
            "last_order_amount": orders.get("last_order_amount", 0),
            "last_order_date": orders.get("last_order_date"),
        },
    }


def customer(row: dict[str, Any]) -> dict[str, Any]:
    """The full customer object (with summary, loyalty and referrals)."""
    attrs = row["attrs"]
    held: Holdings = row.get(HOLDINGS) or Holdings()
    return {
        "id": row["id"],
        "source_id": row["source_id"],
        "name": row["name"],
        "description": attrs.get("description"),
        "email": row["email"],
        "phone": attrs.get("phone"),
        "birthday": attrs.get("birthday"),
        "birthdate": attrs.get("birthdate"),
        "address": attrs.get("address"),
        "metadata": attrs.get("metadata") or {},
        "summary": _summary(attrs, held),
        "loyalty": held.loyalty,
        "referrals": attrs.get("referrals") or {"total": 0, "campaigns": []},
        "system_metadata": attrs.get("system_metadata") or {},
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "assets": {"cockpit_url": None},
        "object": "customer",
    }


def customer_ref(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """The short customer reference used inside other objects (publications, holders)."""
    if row is None:
        return None
    return {
        "id": row["id"],
        "source_id": row["source_id"],
        "name": row["name"],
        "email": row["email"],
        "metadata": row["attrs"].get("metadata") or {},
        "object": "customer",
    }
