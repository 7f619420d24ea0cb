"""``GET /v1/customers/{customerId}/redeemables``: the vouchers a customer holds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from openvoucher.catalog.presenters.vouchers import voucher
from openvoucher.kernel.clock import iso

VALUES = ("discount", "gift", "loyalty_card")
"""A voucher's value objects: the one its type has is set, the others are left out (the
spec's ``CustomerRedeemable`` voucher does not allow them as null)."""


def holding_status(obj: dict[str, Any], row: dict[str, Any], now: datetime) -> str:
    """ACTIVE, DISABLED, NOT_ACTIVE_YET, EXPIRED, USED (no redemptions left) or NO_BALANCE."""
    if not row["active"]:
        return "DISABLED"
    if row["start_date"] is not None and row["start_date"] > now:
        return "NOT_ACTIVE_YET"
    if row["expiration_date"] is not None and row["expiration_date"] < now:
        return "EXPIRED"
    quantity = row["redemption_quantity"]
    if quantity is not None and row["redeemed_quantity"] >= quantity:
        return "USED"
    if row["type"] == "GIFT_VOUCHER" and not obj["gift"]["balance"]:
        return "NO_BALANCE"
    return "ACTIVE"


def holding(row: dict[str, Any], customer_id: str, base_url: str, now: datetime) -> dict[str, Any]:
    """One ``CustomerRedeemable``: the customer owns the voucher."""
    obj = voucher(row, base_url)
    return {
        "id": f"rh_{row['id']}",
        "created_at": iso(row["held_since"]),
        "redeemable_id": row["id"],
        "redeemable_object": "voucher",
        "customer_id": customer_id,
        "holder_role": "OWNER",
        "campaign_id": row["campaign_id"],
        "campaign_type": row["campaign_type"],
        "voucher_type": row["type"],
        "redeemable": {
            "type": "voucher",
            "voucher": {k: v for k, v in obj.items() if v is not None or k not in VALUES},
            "status": holding_status(obj, row, now),
        },
    }


def holdings_list(items: list[dict[str, Any]], total: int, has_more: bool) -> dict[str, Any]:
    """The list envelope (``more_starting_after``: the last id when more follow)."""
    body: dict[str, Any] = {
        "object": "list",
        "data_ref": "data",
        "data": items,
        "total": total,
        "has_more": has_more,
    }
    if has_more and items:
        body["more_starting_after"] = items[-1]["id"]
    return body
