"""Discount effects on an order amount, and gift credits. Integer minor units throughout."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openvoucher.kernel.errors import InvalidPayload


def percent_of(amount: int, percent: float | int) -> int:
    """``percent`` % of ``amount``, rounded half up to a whole minor unit."""
    exact = Decimal(amount) * Decimal(str(percent)) / Decimal(100)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _unit_price(discount: Mapping[str, Any], items: Sequence[Mapping[str, Any]]) -> int:
    wanted = discount.get("unit_type")
    for item in items:
        if wanted in {item.get("product_id"), item.get("sku_id"), item.get("source_id")}:
            return int(item.get("price") or 0)
    return 0


def order_discount(
    discount: Mapping[str, Any], amount: int, items: Sequence[Mapping[str, Any]]
) -> int:
    """The discount a voucher's ``discount`` gives on an order of ``amount`` (never above it)."""
    kind = discount.get("type")
    if kind == "AMOUNT":
        value = int(discount.get("amount_off") or 0)
    elif kind == "PERCENT":
        value = percent_of(amount, discount.get("percent_off") or 0)
        limit = discount.get("amount_limit")
        if limit is not None:
            value = min(value, int(limit))
    elif kind == "FIXED":
        value = max(amount - int(discount.get("fixed_amount") or 0), 0)
    elif kind == "UNIT":
        value = int(discount.get("unit_off") or 0) * _unit_price(discount, items)
    else:
        raise InvalidPayload("Invalid discount", f"Unknown discount type {kind}")
    return max(0, min(value, amount))


def gift_credits(balance: int, remaining: int, requested: int | None) -> int:
    """Credits a gift card pays: what was asked (default: all it can), within balance and order."""
    wanted = balance if requested is None else requested
    return max(0, min(wanted, balance, remaining))
