"""Orders in Voucherify's calculated-order shape."""

from __future__ import annotations

from typing import Any

from openvoucher.checkout.domain.orders import totals
from openvoucher.kernel.clock import iso


def order(row: dict[str, Any]) -> dict[str, Any]:
    """The calculated order, with totals derived from its amount, items and discounts."""
    attrs = row["attrs"]
    items = attrs.get("items") or []
    body: dict[str, Any] = {
        "id": row["id"],
        "source_id": row["source_id"],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "status": row["status"],
        "initial_amount": attrs.get("initial_amount", row["amount"]),
    }
    body.update(
        totals(
            row["amount"],
            items,
            attrs.get("discount_amount", 0),
            attrs.get("applied_discount_amount", 0),
        )
    )
    body.update(
        {
            "items": items,
            "metadata": attrs.get("metadata") or {},
            "customer": {"id": row["customer_id"], "object": "customer"}
            if row["customer_id"]
            else None,
            "customer_id": row["customer_id"],
            "referrer": {"id": row["referrer_id"], "object": "customer"}
            if row["referrer_id"]
            else None,
            "referrer_id": row["referrer_id"],
            "redemptions": attrs.get("redemptions") or {},
            "object": "order",
        }
    )
    return body
