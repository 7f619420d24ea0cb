"""Vouchers in Voucherify's shape, for API responses and webhook payloads alike.

A voucher row comes from ``VoucherRepository`` with its campaign (``campaign_name``,
``campaign_attrs``) and category (``category_*``) joined. A campaign's vouchers inherit the
campaign's discount, gift effect and validity settings unless they carry their own.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from openvoucher.catalog.model import Category
from openvoucher.catalog.presenters.assets import voucher_assets
from openvoucher.catalog.presenters.categories import category as category_item
from openvoucher.kernel.clock import iso
from openvoucher.kernel.lists import listing

_AS_IS = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch
"""What ``quote`` leaves as it is."""


def _template(row: dict[str, Any]) -> dict[str, Any]:
    attrs = row.get("campaign_attrs") or {}
    template: dict[str, Any] = attrs.get("voucher") or {}
    return template


def _inherited(row: dict[str, Any], key: str) -> Any:
    attrs = row["attrs"]
    if key in attrs:
        return attrs[key]
    return (row.get("campaign_attrs") or {}).get(key)


def _discount(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["type"] != "DISCOUNT_VOUCHER":
        return None
    found: dict[str, Any] | None = row["attrs"].get("discount") or _template(row).get("discount")
    return found


def _gift(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["type"] != "GIFT_VOUCHER":
        return None
    template_gift = _template(row).get("gift") or {}
    effect = row["attrs"].get("gift_effect") or template_gift.get("effect") or "APPLY_TO_ORDER"
    return {"amount": row["gift_amount"], "balance": row["gift_balance"], "effect": effect}


def _redeemed(row: dict[str, Any]) -> dict[str, Any]:
    """``redemption.redeemed_amount`` of a gift card: credits redeemed net of refunds."""
    if row["type"] == "LOYALTY_CARD":
        return {"redeemed_points": int(row["attrs"].get("loyalty_redeemed_points", 0))}
    if row["type"] != "GIFT_VOUCHER":
        return {}
    return {"redeemed_amount": (row["gift_amount"] or 0) - (row["gift_balance"] or 0)}


def _loyalty_card(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["type"] != "LOYALTY_CARD":
        return None
    # The loyalty ledger (services/loyalty_cards.py) caches the next expiration in attrs.
    upcoming = row["attrs"].get("loyalty_next_expiration") or {}
    body = {
        "points": row["loyalty_points"],
        "balance": row["loyalty_balance"],
        "next_expiration_date": upcoming.get("date"),
        "next_expiration_points": upcoming.get("points"),
    }
    # Cached by services/pending_points.py once the card has had pending points.
    if "loyalty_pending_points" in row["attrs"]:
        body["pending_points"] = row["attrs"]["loyalty_pending_points"]
    # Lifetime counters the ledger keeps (loyalty.loyalty_cards.COUNTERS): balance = points -
    # expired_points - subtracted_points - redeemed points, as the spec defines it.
    body["expired_points"] = int(row["attrs"].get("loyalty_expired_points") or 0)
    body["subtracted_points"] = int(row["attrs"].get("loyalty_subtracted_points") or 0)
    return body


def voucher_category(row: dict[str, Any]) -> dict[str, Any] | None:
    """The voucher's category as an item of ``categories``, from the joined columns."""
    if row.get("category_id") is None or row.get("category_name") is None:
        return None
    return category_item(
        Category(
            id=row["category_id"],
            name=row["category_name"],
            hierarchy=row["category_hierarchy"],
            created_at=row["category_created_at"],
            updated_at=row.get("category_updated_at"),
        )
    )


def _quoted(code: str) -> str:
    """``quote(code, safe="")``; codes of letters, digits and ``_.-~`` (most) need no work."""
    return code if _AS_IS(code) else quote(code, safe="")


VALIDITY = ("validity_timeframe", "validity_day_of_week", "validity_hours")


def _validity(row: dict[str, Any]) -> dict[str, Any]:
    """The validity fields that are set (own or the campaign's); the spec's voucher does not
    allow ``null`` for ``validity_hours``, so unset ones are left out."""
    found = {key: _inherited(row, key) for key in VALIDITY}
    return {key: value for key, value in found.items() if value is not None}


def voucher(row: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The full voucher object; ``base_url`` is where this server serves asset images."""
    attrs = row["attrs"]
    code_path = "/v1/vouchers/" + _quoted(row["code"])
    category = voucher_category(row)
    referral = bool((row.get("campaign_attrs") or {}).get("is_referral_code"))
    return {
        "id": row["id"],
        "code": row["code"],
        "campaign": row.get("campaign_name"),
        "campaign_id": row["campaign_id"],
        "category": category["name"] if category else None,
        "category_id": row["category_id"],
        "type": row["type"],
        "discount": _discount(row),
        "gift": _gift(row),
        "loyalty_card": _loyalty_card(row),
        "start_date": iso(row["start_date"]),
        "expiration_date": iso(row["expiration_date"]),
        **_validity(row),
        "active": row["active"],
        "additional_info": attrs.get("additional_info"),
        "metadata": attrs.get("metadata") or {},
        "assets": voucher_assets(base_url, row["id"]),
        "is_referral_code": referral,
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "holder_id": row["holder_id"],
        "referrer_id": row["holder_id"] if referral else None,
        "object": "voucher",
        "publish": {
            "object": "list",
            "count": row["publish_count"],
            "url": f"{code_path}/publications?page=1&limit=10",
        },
        "redemption": {
            "object": "list",
            "quantity": row["redemption_quantity"],
            "redeemed_quantity": row["redeemed_quantity"],
            **_redeemed(row),
            "url": f"{code_path}/redemptions?page=1&limit=10",
        },
        "categories": [category] if category else [],
        "validation_rules_assignments": {
            "object": "list",
            "data_ref": "data",
            "data": [],
            "total": 0,
        },
    }


def vouchers_list(rows: list[dict[str, Any]], base_url: str, total: int) -> dict[str, Any]:
    """The ``GET /v1/vouchers`` envelope."""
    return listing([voucher(row, base_url) for row in rows], total, "vouchers")


SIMPLE_VOUCHER_FIELDS = (
    "id",
    "code",
    "gift",
    "discount",
    "loyalty_card",
    "type",
    "campaign",
    "campaign_id",
    "is_referral_code",
    "holder_id",
    "referrer_id",
    "category_id",
    "categories",
    "active",
    "created_at",
    "updated_at",
    "start_date",
    "expiration_date",
    "metadata",
    "object",
)


def simple_voucher(full: dict[str, Any]) -> dict[str, Any]:
    """The short voucher of event payloads (``SimpleVoucher``), from the full voucher object."""
    body = {key: full[key] for key in SIMPLE_VOUCHER_FIELDS}
    body["redemption"] = {
        "quantity": full["redemption"]["quantity"],
        "redeemed_quantity": full["redemption"]["redeemed_quantity"],
    }
    return body
