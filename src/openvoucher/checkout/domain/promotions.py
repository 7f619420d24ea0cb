"""Promotion tiers and stacks: pure checks of what a client sent.

A tier is a code-less discount of a PROMOTION campaign; it takes part in an evaluation as a
``DISCOUNT_VOUCHER`` (the same discount computation as a voucher's). A stack names up to
30 tiers of one campaign, applied in the order given.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.domain.vouchers import check_discount
from openvoucher.kernel.errors import InvalidPayload

MAX_STACK_TIERS = 30
TIER_ATTRS = ("banner", "metadata", "validity_timeframe", "validity_day_of_week", "validity_hours")
"""Tier fields kept as given in ``attrs``."""

PROMOTION_TIER_ERRORS = {
    "voucher_disabled": "promotion_inactive",
    "voucher_not_active": "promotion_not_active_now",
    "voucher_expired": "promotion_not_active_now",
    "voucher_not_active_now": "promotion_not_active_now",
}
"""A promotion tier's reasons: the voucher keys of the common checks, spelled as Voucherify
spells them for promotions."""


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", details)


def tier_discount(action: dict[str, Any] | None) -> dict[str, Any]:
    """The tier's ``action.discount``, checked as a voucher's discount is."""
    if not action or not action.get("discount"):
        raise _invalid("action.discount is required for a promotion tier")
    return check_discount(action["discount"])


def tier_name(name: Any) -> str:
    """A tier needs a non-empty name."""
    if not isinstance(name, str) or not name.strip():
        raise _invalid("name is required for a promotion tier")
    return name


def stack_tiers(tiers: dict[str, Any] | None) -> dict[str, Any]:
    """A stack's ``tiers``: 1 to 30 distinct ids, ``hierarchy_mode`` MANUAL."""
    ids = list((tiers or {}).get("ids") or [])
    if not 1 <= len(ids) <= MAX_STACK_TIERS:
        raise _invalid(f"tiers.ids must list 1 to {MAX_STACK_TIERS} promotion tiers")
    if len(set(ids)) != len(ids):
        raise _invalid("tiers.ids lists a promotion tier twice")
    return {"ids": ids, "hierarchy_mode": (tiers or {}).get("hierarchy_mode") or "MANUAL"}
