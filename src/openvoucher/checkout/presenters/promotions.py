"""Promotion tiers and stacks in Voucherify's shape.

A tier row comes from ``PromotionTierRepository`` with its campaign's ``campaign_name``,
``campaign_active`` and ``campaign_attrs`` joined; ``attrs`` holds banner, discount, metadata,
validity settings and category.
"""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso
from openvoucher.kernel.lists import listing

VALIDITY = ("validity_timeframe", "validity_day_of_week", "validity_hours")
EMPTY_ASSIGNMENTS = {"object": "list", "data_ref": "data", "data": [], "total": 0}


def tier_campaign(row: dict[str, Any]) -> dict[str, Any]:
    """The ``campaign`` of a tier: its parent's dates, validity and flag."""
    attrs = row.get("campaign_attrs") or {}
    body: dict[str, Any] = {
        "id": row["campaign_id"],
        "start_date": attrs.get("start_date"),
        "expiration_date": attrs.get("expiration_date"),
    }
    body.update({key: attrs[key] for key in VALIDITY if attrs.get(key) is not None})
    body.update(active=bool(row["campaign_active"]), object="campaign")
    if row.get("campaign_category_id") is not None:  # left out when unset (webhook schema)
        body["category_id"] = row["campaign_category_id"]
    return body


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "redemptions": {"total_redeemed": int(row["redeemed_quantity"])},
        "orders": {
            "total_amount": int(row["orders_amount"]),
            "total_discount_amount": int(row["orders_discount"]),
        },
    }


def promotion_tier(row: dict[str, Any]) -> dict[str, Any]:
    """The full ``promotion_tier`` object."""
    attrs = row["attrs"]
    return {
        "id": row["id"],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "name": row["name"],
        "banner": attrs.get("banner"),
        "action": {"discount": attrs.get("discount")},
        "metadata": attrs.get("metadata") or {},
        "hierarchy": row["hierarchy"],
        "promotion_id": row["campaign_id"],
        "campaign": tier_campaign(row),
        "campaign_id": row["campaign_id"],
        "active": bool(row["active"]),
        "start_date": iso(row["start_date"]),
        "expiration_date": iso(row["expiration_date"]),
        **{key: attrs[key] for key in VALIDITY if attrs.get(key) is not None},
        "summary": _summary(row),
        "object": "promotion_tier",
        "validation_rule_assignments": dict(EMPTY_ASSIGNMENTS),
        "category_id": attrs.get("category_id"),
        "categories": [],
    }


def simple_promotion_tier(tier: dict[str, Any]) -> dict[str, Any]:
    """The ``SimplePromotionTier`` redemption events carry, from a rendered tier."""
    return {
        "id": tier["id"],
        "name": tier["name"],
        "banner": tier["banner"],
        "campaign": {"id": tier["campaign_id"]},
        "metadata": tier["metadata"],
    }


def tiers_list(rows: list[dict[str, Any]], total: int, has_more: bool) -> dict[str, Any]:
    """The ``{object: list, data_ref: tiers, tiers, total, has_more}`` envelope."""
    return {**listing([promotion_tier(row) for row in rows], total, "tiers"), "has_more": has_more}


def promotion_stack(row: dict[str, Any]) -> dict[str, Any]:
    """The ``promotion_stack`` object."""
    return {
        "id": row["id"],
        "name": row["name"],
        "tiers": row["attrs"]["tiers"],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "campaign_id": row["campaign_id"],
        "object": "promotion_stack",
        "category_id": row["category_id"],
        "categories": [],
    }


def stacks_list(rows: list[dict[str, Any]], total: int) -> dict[str, Any]:
    """The ``GET …/stacks`` envelope."""
    return listing([promotion_stack(row) for row in rows], total)
