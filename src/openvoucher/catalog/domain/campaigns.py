"""Campaign kinds and statuses: which voucher a campaign makes, and how it is generated."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.errors import InvalidPayload

VOUCHER_TYPE_OF = {
    "DISCOUNT_COUPONS": "DISCOUNT_VOUCHER",
    "GIFT_VOUCHERS": "GIFT_VOUCHER",
    "LOYALTY_PROGRAM": "LOYALTY_CARD",
    "REFERRAL_PROGRAM": "DISCOUNT_VOUCHER",
}
"""The voucher type each supported campaign type issues."""

REFERRAL = "REFERRAL_PROGRAM"
"""The campaign type whose codes are referral codes."""

CAMPAIGN_TYPE_OF = {
    voucher: campaign for campaign, voucher in VOUCHER_TYPE_OF.items() if campaign != REFERRAL
}

TEMPLATE_OBJECTS = (
    ("gift", "GIFT_VOUCHER"),
    ("loyalty_card", "LOYALTY_CARD"),
    ("discount", "DISCOUNT_VOUCHER"),
)
"""A voucher template's object and the voucher type it implies."""

SYNC_GENERATION_LIMIT = 100
"""Up to this many vouchers are generated inside the request; more go to an async action."""

MAX_VOUCHERS_COUNT = 1_000_000
"""The most vouchers one request may ask for."""


def voucher_type_for(campaign_type: str, voucher_type: str | None) -> str:
    """The voucher type of a new campaign; a template type that does not fit is refused."""
    expected = VOUCHER_TYPE_OF.get(campaign_type)
    if expected is None:
        supported = ", ".join(VOUCHER_TYPE_OF)
        raise InvalidPayload("Invalid payload", f"campaign_type must be one of: {supported}")
    if voucher_type is not None and voucher_type != expected:
        raise InvalidPayload(
            "Invalid payload",
            f"A {campaign_type} campaign issues {expected} vouchers, not {voucher_type}",
        )
    return expected


def check_vouchers_count(count: int | None) -> int:
    """A valid number of vouchers to generate (0 when absent)."""
    value = count or 0
    if not 0 <= value <= MAX_VOUCHERS_COUNT:
        raise InvalidPayload(
            "Invalid payload", f"vouchers_count must be between 0 and {MAX_VOUCHERS_COUNT}"
        )
    return value


def inferred_campaign_type(fields: dict[str, Any]) -> str:
    """``campaign_type`` as given or, optional in the spec, from what the body carries.

    The voucher template's type (given, or from its ``gift``/``loyalty_card``/``discount``),
    then ``promotion`` or ``referral_program``; ``DISCOUNT_COUPONS`` otherwise.
    """
    given_type: str | None = fields.get("campaign_type")
    if given_type:
        return given_type
    voucher = fields.get("voucher") or {}
    kinds = [kind for name, kind in TEMPLATE_OBJECTS if voucher.get(name) is not None]
    voucher_type = voucher.get("type") or (kinds[0] if len(kinds) == 1 else None)
    if voucher_type in CAMPAIGN_TYPE_OF:
        return CAMPAIGN_TYPE_OF[voucher_type]
    if fields.get("promotion") is not None:
        return "PROMOTION"
    if fields.get("referral_program") is not None:
        return REFERRAL
    return "DISCOUNT_COUPONS"
