"""Reward arithmetic and checks: pure.

A ``COIN`` reward (pay with points) maps ``points_ratio`` points to ``exchange_ratio`` in the
currency's main unit: ``{"exchange_ratio": 1, "points_ratio": 10}`` makes 10 points worth
1.00, i.e. 100 in the integer minor units every amount uses. Values are rounded down, so a
customer never gets more than their points are worth.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from openvoucher.kernel.errors import VoucherifyError

CAMPAIGN = "CAMPAIGN"
COIN = "COIN"
MATERIAL = "MATERIAL"
CAMPAIGN_TYPES = ("DISCOUNT_COUPONS", "GIFT_VOUCHERS", "LOYALTY_PROGRAM")
MINOR_UNITS = 100


def invalid(details: str) -> VoucherifyError:
    """A 400 ``invalid_payload``."""
    return VoucherifyError("Invalid payload", details, key="invalid_payload")


def _number(raw: Any, what: str) -> Fraction:
    if isinstance(raw, bool) or raw is None:
        raise invalid(f"{what} must be a positive number")
    try:
        value = Fraction(str(raw))
    except (ValueError, ZeroDivisionError):
        raise invalid(f"{what} must be a positive number") from None
    if value <= 0:
        raise invalid(f"{what} must be a positive number")
    return value


def check_coin(coin: Mapping[str, Any] | None) -> dict[str, Any]:
    """``{exchange_ratio, points_ratio}`` as stored: a positive number and a positive integer
    (numeric strings accepted, as the create request types them)."""
    if not coin:
        raise invalid("parameters.coin needs exchange_ratio and points_ratio")
    exchange = _number(coin.get("exchange_ratio"), "parameters.coin.exchange_ratio")
    points = _number(coin.get("points_ratio"), "parameters.coin.points_ratio")
    if points.denominator != 1:
        raise invalid("parameters.coin.points_ratio must be a positive integer")
    shown: int | float = int(exchange) if exchange.denominator == 1 else float(exchange)
    return {"exchange_ratio": shown, "points_ratio": int(points)}


def _rate(coin: Mapping[str, Any]) -> Fraction:
    """Minor currency units one point is worth."""
    return Fraction(str(coin["exchange_ratio"])) * MINOR_UNITS / int(coin["points_ratio"])


def points_value(points: int, coin: Mapping[str, Any]) -> int:
    """What ``points`` pay, in minor units (rounded down)."""
    return int(points * _rate(coin))


def points_for(amount: int, coin: Mapping[str, Any]) -> int:
    """The fewest points that pay ``amount`` (minor units) in full."""
    rate = _rate(coin)
    return int(-(-Fraction(amount) // rate))


def payment(points: int, remaining: int, coin: Mapping[str, Any]) -> tuple[int, int]:
    """``(points spent, amount paid)`` when ``points`` pay towards ``remaining``: no more
    points are spent than what is left to pay needs."""
    value = points_value(points, coin)
    if value <= remaining:
        return points, value
    needed = min(points_for(remaining, coin), points)
    return needed, min(points_value(needed, coin), remaining)


def reward_type(parameters: Mapping[str, Any]) -> str:
    """The reward type its ``parameters`` describe (exactly one of campaign/coin/product)."""
    named = [key for key in ("campaign", "coin", "product") if parameters.get(key)]
    if len(named) != 1:
        raise invalid("parameters must hold exactly one of campaign, coin or product")
    return {"campaign": CAMPAIGN, "coin": COIN, "product": MATERIAL}[named[0]]


def check_cost(points: Any) -> int:
    """An assignment's points cost: a positive integer."""
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise invalid("parameters.loyalty.points must be a positive integer")
    return points


def check_stock(stock: Any) -> int | None:
    """A material reward's stock: null (unlimited) or an integer >= 0."""
    if stock is None:
        return None
    if isinstance(stock, bool) or not isinstance(stock, int) or stock < 0:
        raise invalid("stock must be an integer >= 0")
    return stock


def tier_mapping(
    mappings: Mapping[str, Any] | None, assignment_id: str, reward_id: str
) -> dict[str, Any] | None:
    """A tier's rewards mapping for an offer: keyed by the assignment or by the reward."""
    found = (mappings or {}).get(assignment_id) or (mappings or {}).get(reward_id)
    return dict(found) if found else None


def tier_cost(points: int, mapping: Mapping[str, Any] | None) -> int:
    """A reward's points cost for a tier's members: ``MULTIPLY`` (rounded down, at least 1
    point) or the ``CUSTOM`` points."""
    if not mapping:
        return points
    if mapping.get("type") == "CUSTOM":
        return int(mapping.get("points") or 0)
    return max(int(Fraction(str(mapping.get("multiplier") or 1)) * points), 1)


def tier_coin(coin: Mapping[str, Any], mapping: Mapping[str, Any] | None) -> dict[str, Any]:
    """A COIN reward's ratios for a tier's members: ``MULTIPLY`` scales the points that buy
    ``exchange_ratio`` (rounded down, at least 1); pay with points has no ``CUSTOM`` cost."""
    if not mapping or mapping.get("type") != "MULTIPLY":
        return dict(coin)
    return {**coin, "points_ratio": tier_cost(int(coin["points_ratio"]), mapping)}
