"""Campaigns in Voucherify's shape: the full object and the short ``SimpleCampaign``.

A campaign row comes from ``CampaignRepository`` with its category (``category_*``) joined;
everything not queried lives in ``attrs``.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.presenters.vouchers import voucher_category
from openvoucher.kernel.clock import iso

VALIDITY = ("validity_timeframe", "validity_day_of_week", "validity_hours")


def _categories(row: dict[str, Any]) -> list[dict[str, Any]]:
    found = voucher_category(row)
    return [found] if found else []


def _template_gift(gift: dict[str, Any] | None) -> dict[str, Any] | None:
    """A template's ``gift``: each card it makes starts with its full amount as ``balance``."""
    if gift is None:
        return None
    return {"amount": gift["amount"], "balance": gift.get("balance", gift["amount"]), **gift}


def _value(template: dict[str, Any]) -> dict[str, Any]:
    """The template's discount, gift or loyalty card: the one it has (the others left out)."""
    found = {
        "discount": template.get("discount"),
        "gift": _template_gift(template.get("gift")),
        "loyalty_card": template.get("loyalty_card"),
    }
    return {key: value for key, value in found.items() if value is not None}


def _set(attrs: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """The ``keys`` of ``attrs`` that are set; unset ones are left out (the spec's campaign
    does not allow ``null`` for the validity fields)."""
    return {key: attrs[key] for key in keys if attrs.get(key) is not None}


def campaign_voucher(row: dict[str, Any]) -> dict[str, Any] | None:
    """The campaign's ``voucher`` template (``CampaignVoucher``); None for a PROMOTION one."""
    attrs = row["attrs"]
    template = attrs.get("voucher")
    if template is None:
        return None
    return {
        "type": template["type"],
        **_value(template),
        "redemption": {"quantity": template["redemption"]["quantity"]},
        "code_config": template["code_config"],
        "is_referral_code": bool(attrs.get("is_referral_code")),
        "start_date": attrs.get("start_date"),
        "expiration_date": attrs.get("expiration_date"),
        **_set(attrs, VALIDITY),
    }


def _tiers_expiration(row: dict[str, Any]) -> dict[str, Any]:
    """A loyalty programme's ``loyalty_tiers_expiration`` (null until set)."""
    if row["campaign_type"] != "LOYALTY_PROGRAM":
        return {}
    return _set(row["attrs"], ("loyalty_tiers_expiration",))


def campaign(row: dict[str, Any]) -> dict[str, Any]:
    """The full campaign object."""
    attrs = row["attrs"]
    categories = _categories(row)
    return {
        "id": row["id"],
        "name": row["name"],
        "description": attrs.get("description"),
        "campaign_type": row["campaign_type"],
        "type": row["type"],
        **({"voucher": template} if (template := campaign_voucher(row)) else {}),
        **({"referral_program": attrs["referral_program"]} if "referral_program" in attrs else {}),
        **_tiers_expiration(row),
        "auto_join": attrs["auto_join"],
        "join_once": attrs["join_once"],
        "use_voucher_metadata_schema": attrs["use_voucher_metadata_schema"],
        **_set(attrs, VALIDITY),
        "activity_duration_after_publishing": attrs.get("activity_duration_after_publishing"),
        "vouchers_count": row["vouchers_count"],
        "start_date": attrs.get("start_date"),
        "expiration_date": attrs.get("expiration_date"),
        "active": row["active"],
        "metadata": attrs.get("metadata") or {},
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "category": categories[0]["name"] if categories else None,
        "creation_status": attrs["creation_status"],
        "vouchers_generation_status": attrs["vouchers_generation_status"],
        "protected": False,
        "category_id": row["category_id"],
        "categories": categories,
        "object": "campaign",
    }


def _simple_voucher(template: dict[str, Any] | None) -> dict[str, Any] | None:
    if template is None:
        return None
    return {
        "type": template["type"],
        **_value(template),
        "redemption": {
            "quantity": template["redemption"]["quantity"],
            "redeemed_quantity": template["redemption"].get("redeemed_quantity", 0),
        },
        "code_config": template["code_config"],
    }


def simple_campaign(row: dict[str, Any]) -> dict[str, Any]:
    """The short campaign object webhooks carry next to a voucher (``SimpleCampaign``)."""
    attrs = row["attrs"]
    categories = _categories(row)
    return {
        "id": row["id"],
        "name": row["name"],
        "campaign_type": row["campaign_type"],
        "type": row["type"],
        "is_referral_code": bool(attrs.get("is_referral_code")),
        "voucher": _simple_voucher(attrs.get("voucher")),
        "auto_join": attrs["auto_join"],
        "join_once": attrs["join_once"],
        "active": row["active"],
        "category_id": row["category_id"],
        "category": categories[0]["name"] if categories else None,
        "categories": categories,
        "metadata": attrs.get("metadata") or {},
        "start_date": attrs.get("start_date"),
        "expiration_date": attrs.get("expiration_date"),
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "object": "campaign",
    }
