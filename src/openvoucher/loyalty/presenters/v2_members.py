"""Loyalty v2 members, their cards and card transactions, rendered from the v1 ledger."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso

EARNED = ("POINTS_ACCRUAL", "PENDING_POINTS_ACTIVATION")
ADDED = ("POINTS_ADDITION", "POINTS_TRANSFER_IN")
SUBTRACTED = ("POINTS_REMOVAL", "POINTS_TRANSFER_OUT")
TRANSACTION_TYPES = {
    "POINTS_ADDITION": "ADMIN_CREDIT",
    "POINTS_TRANSFER_IN": "ADMIN_CREDIT",
    "POINTS_REMOVAL": "ADMIN_DEBIT",
    "POINTS_TRANSFER_OUT": "ADMIN_DEBIT",
    "POINTS_ACCRUAL": "POINTS_EARNED",
    "POINTS_EXPIRATION": "POINTS_EXPIRED",
    "POINTS_REDEMPTION": "POINTS_SPENT_ON_ORDER",
    "POINTS_REFUND": "POINTS_REFUNDED",
    "PENDING_POINTS_ACTIVATION": "PENDING_POINTS_ACTIVATED",
    "PENDING_POINTS_CANCELED": "PENDING_POINTS_CANCELED",
}
"""v1 ledger transaction type → the v2 card transaction type."""


def member(row: dict[str, Any]) -> dict[str, Any]:
    """A ``member``."""
    return {
        "id": row["id"],
        "customer_id": row["customer_id"],
        "program_id": row["program_id"],
        "status": row["status"],
        "metadata": row["attrs"].get("metadata") or {},
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "object": "member",
    }


def _sum(totals: dict[str, int], kinds: tuple[str, ...]) -> int:
    return sum(totals.get(k, 0) for k in kinds)


def lifetime(totals: dict[str, int], pending: dict[str, int]) -> dict[str, Any]:
    """What the card ever earned, was given, lost and spent."""
    earned, added = _sum(totals, EARNED), _sum(totals, ADDED)
    refunded = totals.get("POINTS_REFUND", 0)
    points = {
        "total": earned + added + refunded,
        "earned": earned,
        "added": added,
        "purchased": 0,
        "purchased_reversed": 0,
        "subtracted": _sum(totals, SUBTRACTED),
        "expired": totals.get("POINTS_EXPIRATION", 0),
        "spent": totals.get("POINTS_REDEMPTION", 0),
        "refunded": refunded,
        "returned": 0,
        "locked": 0,
        "unlocked": 0,
    }
    held = {
        "total": sum(pending.values()),
        "activated": pending.get("ACTIVATED", 0),
        "canceled": pending.get("CANCELED", 0),
    }
    return {"points": points, "pending_points": held}


def card(
    row: dict[str, Any],
    voucher: dict[str, Any],
    figures: dict[str, Any],
) -> dict[str, Any]:
    """A ``card`` (CardSimple): ``figures`` has the ledger ``totals``, ``pending`` totals and
    ``next_activation`` (or None)."""
    attrs = voucher["attrs"]
    expiring = attrs.get("loyalty_next_expiration")
    activation = figures["next_activation"]
    return {
        "id": row["id"],
        "card_definition_id": row["card_definition_id"],
        "card_type": "INDIVIDUAL",
        "code": voucher["code"],
        "lifetime_bucket": lifetime(figures["totals"], figures["pending"]),
        "balance": {
            "points": int(voucher["loyalty_balance"] or 0),
            "pending_points": int(attrs.get("loyalty_pending_points") or 0),
        },
        "next_expiration": (
            {"points": expiring["points"], "date": expiring["date"]} if expiring else None
        ),
        "next_activation": (
            {
                "points": activation["points"],
                "type": "PERIOD_BASED",
                "date": iso(activation["date"]),
            }
            if activation
            else None
        ),
        "object": "card",
    }


def member_card(row: dict[str, Any], rendered: dict[str, Any]) -> dict[str, Any]:
    """A ``member_card``: the member owns it."""
    return {
        "member_role": "OWNER",
        "created_at": iso(row["created_at"]),
        "card": rendered,
        "object": "member_card",
    }


def _type(tx_row: dict[str, Any]) -> str:
    if tx_row["type"] == "POINTS_EXPIRATION" and tx_row.get("source") == "API":
        return "ADMIN_POINTS_EXPIRATION"
    return TRANSACTION_TYPES.get(tx_row["type"], "ADMIN_CREDIT")


def transaction(tx_row: dict[str, Any], card_row: dict[str, Any]) -> dict[str, Any]:
    """A ``card_transaction`` from a v1 ledger transaction of the card."""
    details = tx_row["details"] or {}
    order = details.get("order")
    return {
        "id": tx_row["id"],
        "card_id": card_row["id"],
        "program_id": card_row["program_id"],
        "member_id": card_row["member_id"],
        "card_definition_id": card_row["card_definition_id"],
        "card_type": "INDIVIDUAL",
        "type": _type(tx_row),
        "details": {
            "reason": tx_row["reason"],
            "points": {"total": abs(int(tx_row["amount"]))},
            "order": {"id": order["id"]} if order else None,
        },
        "status": "APPROVED",
        "created_at": iso(tx_row["created_at"]),
        "updated_at": None,
        "object": "card_transaction",
    }
