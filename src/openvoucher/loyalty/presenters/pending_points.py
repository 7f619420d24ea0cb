"""Pending loyalty points in Voucherify's shape: entries, their lists and balance changes."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso


def pending_entry(row: dict[str, Any]) -> dict[str, Any]:
    """One pending points entry (``LoyaltyPendingPoints``); ``activates_at`` is its date."""
    return {
        "id": row["id"],
        "voucher_id": row["voucher_id"],
        "campaign_id": row["campaign_id"],
        "customer_id": row["customer_id"],
        "order_id": row["order_id"],
        "points": int(row["points"]),
        "activates_at": row["activates_at"].date().isoformat(),
        "details": row["attrs"].get("details") or {},
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
    }


def pending_list(rows: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
    """A page of entries (``ListPendingPoints``), with the cursor of the next page."""
    body: dict[str, Any] = {
        "object": "list",
        "data_ref": "data",
        "data": [pending_entry(row) for row in rows],
        "has_more": has_more,
    }
    if has_more and rows:
        body["more_starting_after"] = rows[-1]["id"]
    return body


def pending_balance(
    voucher_id: str, points: int, total: int, operation: str, balance: int | None = None
) -> dict[str, Any]:
    """A change of a card's pending points: the signed change and the card's pending total;
    with ``balance`` (events: their ``VoucherBalance`` needs it) the card's points balance."""
    body: dict[str, Any] = {
        "points": points,
        "total": total,
        "object": "balance",
        "related_object": {"type": "voucher", "id": voucher_id},
        "operation_type": operation,
    }
    if balance is not None:
        body.update(type="loyalty_card", balance=balance)
    return body


SIMPLE_ORDER_FIELDS = (
    "id",
    "source_id",
    "status",
    "customer_id",
    "referrer_id",
    "amount",
    "discount_amount",
    "applied_discount_amount",
    "items_discount_amount",
    "items_applied_discount_amount",
    "total_discount_amount",
    "total_applied_discount_amount",
    "total_amount",
    "items",
    "metadata",
    "created_at",
    "object",
)


def simple_order(full: dict[str, Any] | None) -> dict[str, Any] | None:
    """The short order of pending points events (``SimpleOrder``), from the full order."""
    if full is None:
        return None
    return {key: full[key] for key in SIMPLE_ORDER_FIELDS if key in full}
