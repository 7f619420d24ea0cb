"""Referral programs: the campaign's ``referral_program`` settings, holder roles, and when a
referral converts.

A referral code is a discount voucher of a ``REFERRAL_PROGRAM`` campaign. Publishing it to a
customer makes them its referrer; a referee redeeming it (or, when the programme converts on a
custom event, sending that event with the code) is one referral, counted once per referee.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from openvoucher.checkout.domain.redeemables import VoucherFacts
from openvoucher.kernel.errors import InvalidPayload

ON_REDEMPTION = "redemption"
ON_CUSTOM_EVENT = "custom_event"
REFERRER = "REFERRER"
REFEREE = "REFEREE"
REWARD_TYPES = ("LOYALTY_CARD", "GIFT_VOUCHER")
REWARD_CAMPAIGN_TYPES = {"LOYALTY_CARD": "LOYALTY_PROGRAM", "GIFT_VOUCHER": "GIFT_VOUCHERS"}
"""The campaign type a referee reward of each type adds to."""


def _invalid(message: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", f"referral_program: {message}")


def _custom_event(kind: str, given: Any) -> dict[str, Any] | None:
    if kind != ON_CUSTOM_EVENT:
        if given:
            raise _invalid("custom_event is only for conversion_event_type custom_event")
        return None
    if not isinstance(given, dict) or not given.get("name"):
        raise _invalid("custom_event.name is required when the conversion is a custom event")
    return {"id": given.get("id"), "name": str(given["name"])}


def _referee_reward(given: Any) -> dict[str, Any] | None:
    if not given:
        return None
    kind = given.get("type")
    if kind not in REWARD_TYPES:
        raise _invalid("referee_reward.type must be LOYALTY_CARD or GIFT_VOUCHER")
    amount = given.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _invalid("referee_reward.amount must be a whole number above 0")
    parent = given.get("related_object_parent") or {}
    if not parent.get("id"):
        raise _invalid("referee_reward.related_object_parent.id is required")
    return {
        "related_object_parent": {"id": str(parent["id"]), "name": None, "object": "CAMPAIGN"},
        "type": kind,
        "amount": amount,
    }


def program(given: dict[str, Any] | None) -> dict[str, Any]:
    """The stored ``referral_program`` of a new or updated campaign (defaults filled)."""
    fields = given or {}
    kind = fields.get("conversion_event_type") or ON_REDEMPTION
    if kind not in (ON_REDEMPTION, ON_CUSTOM_EVENT):
        raise _invalid("conversion_event_type must be redemption or custom_event")
    return {
        "conversion_event_type": kind,
        "custom_event": _custom_event(kind, fields.get("custom_event")),
        "referee_reward": _referee_reward(fields.get("referee_reward")),
    }


def converts_on_redemption(settings: dict[str, Any] | None) -> bool:
    """Whether a redemption of the programme's code is the conversion itself."""
    return bool((settings or {}).get("conversion_event_type", ON_REDEMPTION) == ON_REDEMPTION)


def converts_on_event(settings: dict[str, Any] | None, event_name: str) -> bool:
    """Whether the custom event ``event_name`` is the programme's conversion."""
    if (settings or {}).get("conversion_event_type") != ON_CUSTOM_EVENT:
        return False
    return bool(((settings or {}).get("custom_event") or {}).get("name") == event_name)


def mark_referrers(
    facts: Mapping[str, VoucherFacts],
    rows: Mapping[str, Mapping[str, Any]],
    customer_id: str | None,
) -> dict[str, VoucherFacts]:
    """The facts with each referral code the customer holds as its referrer marked."""
    marked = dict(facts)
    if customer_id is None:
        return marked
    for key, fact in facts.items():
        row = rows.get(fact.id)
        if row is None or row.get("holder_id") != customer_id:
            continue
        if (row.get("campaign_attrs") or {}).get("is_referral_code"):
            marked[key] = replace(fact, by_referrer=True)
    return marked
