"""Orders in Voucherify's calculated-order shape."""

from __future__ import annotations

from typing import Any

from openvoucher.checkout.domain.orders import totals
from openvoucher.kernel.clock import iso


def _party(key: str, customer_id: str | None) -> dict[str, Any]:
    """``customer`` / ``referrer`` as ``{id, object}``; left out when the order has none (the
    spec's order schemas do not allow null there)."""
    return {key: {"id": customer_id, "object": "customer"}} if customer_id else {}


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
            **_party("customer", row["customer_id"]),
            "customer_id": row["customer_id"],
            **_party("referrer", row["referrer_id"]),
            "referrer_id": row["referrer_id"],
            "redemptions": attrs.get("redemptions") or {},
            "object": "order",
        }
    )
    return body
