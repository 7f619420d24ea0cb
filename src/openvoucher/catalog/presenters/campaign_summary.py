"""``GET /v1/campaigns/{campaignId}/summary``: a campaign's figures by campaign type."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

GIFT_LEDGER = {
    "amount_added": ("CREDITS_ADDITION", 1),
    "amount_subtracted": ("CREDITS_REMOVAL", -1),
    "amount_redeemed": ("CREDITS_REDEMPTION", -1),
    "amount_rolledback": ("CREDITS_REFUND", 1),
}
LOYALTY_LEDGER = {
    "points_added": ("POINTS_ADDITION", 1),
    "points_subtracted": ("POINTS_REMOVAL", -1),
    "points_rewarded": ("POINTS_ACCRUAL", 1),
    "points_redeemed": ("POINTS_REDEMPTION", -1),
    "points_rolledback": ("POINTS_REFUND", 1),
    "points_expired": ("POINTS_EXPIRATION", -1),
    "points_transferred_out": ("POINTS_TRANSFER_OUT", -1),
    "points_transferred_in": ("POINTS_TRANSFER_IN", 1),
}
NOT_TRACKED = ("pending_points_added", "pending_points_subtracted")
NOT_TRACKED_TOO = ("pending_points_activated", "pending_points_canceled")


def _discount(attrs: Mapping[str, Any]) -> int:
    """What one redemption took off the order (whole-order and item discounts)."""
    return int(attrs.get("discount") or 0) + sum(int(x) for x in attrs.get("item_discounts") or [])


def redemption_figures(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Counts and amounts of redemptions and rollbacks (each order's amount counted once)."""
    figures = dict.fromkeys(
        (
            "redemptions",
            "redemptions_succeeded",
            "redemptions_failed",
            "rollbacks",
            "rollbacks_succeeded",
            "rollbacks_failed",
            "orders_amount",
            "orders_rolledback_amount",
            "discounted_amount",
            "rolledback_discounted_amount",
        ),
        0,
    )
    orders: dict[str, int] = {}
    rolled_back: dict[str, int] = {}
    for row in rows:
        kind = "rollbacks" if row["object"] == "redemption_rollback" else "redemptions"
        figures[kind] += 1
        figures[f"{kind}_{'succeeded' if row['result'] == 'SUCCESS' else 'failed'}"] += 1
        if kind == "rollbacks" or row["result"] != "SUCCESS":
            continue
        amount = int((row["attrs"].get("order") or {}).get("amount") or 0)
        key = row["order_id"] or str(len(orders))
        figures["discounted_amount"] += _discount(row["attrs"])
        orders[key] = amount
        if row["status"] == "ROLLED_BACK":
            figures["rolledback_discounted_amount"] += _discount(row["attrs"])
            rolled_back[key] = amount
    figures["orders_amount"] = sum(orders.values())
    figures["orders_rolledback_amount"] = sum(rolled_back.values())
    return figures


def summary(
    campaign: dict[str, Any],
    redemptions: dict[str, int],
    ledger: Mapping[str, int],
    created: tuple[int, int, int],
    published: int,
) -> dict[str, Any]:
    """The summary object of the campaign's type (validations are not stored: always 0)."""
    body: dict[str, Any] = {"object": "campaign_summary", "campaign": campaign, **redemptions}
    body.update(validations=0, validations_succeeded=0, validations_failed=0)
    kind = campaign["campaign_type"]
    if kind == "PROMOTION":
        return body
    count, credits, points = created
    body.update(vouchers_created=count, vouchers_deleted=0, publications=published)
    body.update(publications_succeeded=published, publications_failed=0)
    if kind == "GIFT_VOUCHERS":
        body.update(created_vouchers_amount=credits, amount_deleted=0)
        body.update(_ledger(GIFT_LEDGER, ledger))
    elif kind == "LOYALTY_PROGRAM":
        body.update(created_vouchers_points=points, points_deleted=0)
        body.update(_ledger(LOYALTY_LEDGER, ledger))
        body.update(dict.fromkeys(NOT_TRACKED + NOT_TRACKED_TOO, 0))
    elif kind == "REFERRAL_PROGRAM":
        body["referred_customers"] = 0
    else:  # discount coupons keep the discount figures
        return body
    for key in ("discounted_amount", "rolledback_discounted_amount"):
        body.pop(key, None)
    return body


def _ledger(names: Mapping[str, tuple[str, int]], ledger: Mapping[str, int]) -> dict[str, int]:
    """Each figure as a positive total of its transaction type."""
    return {name: sign * ledger.get(kind, 0) for name, (kind, sign) in names.items()}
