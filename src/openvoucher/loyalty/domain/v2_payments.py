"""Paying an order with points (Loyalty v2 ``orders/payments``): how many points, for how much.

Pure. One point pays ``ratio`` (the wallet's exchange ratio, in the smallest currency unit).
The points spent are the most that neither exceed the card's balance (or the request's points
limit) nor pay more than what is left of the order (or the request's amount limit); the amount
paid is what those whole points pay, rounded down to a whole unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from openvoucher.loyalty.domain.v2_card_definitions import invalid

LIMITS = {"CARD_BALANCE": None, "POINTS_LIMIT": "points_limit", "AMOUNT_LIMIT": "amount_limit"}


@dataclass(frozen=True)
class Payment:
    """Points spent and the amount they pay."""

    points: int
    amount: int


def limit_of(raw: dict[str, Any] | None) -> tuple[str, int | None]:
    """``(type, max)`` of the request's ``payment_limit`` (CARD_BALANCE by default)."""
    kind = (raw or {}).get("type") or "CARD_BALANCE"
    if kind not in LIMITS:
        raise invalid("payment_limit.type must be CARD_BALANCE, POINTS_LIMIT or AMOUNT_LIMIT")
    field = LIMITS[kind]
    if field is None:
        return kind, None
    found = ((raw or {}).get(field) or {}).get("max")
    if not isinstance(found, int) or isinstance(found, bool) or found < 1:
        raise invalid(f"payment_limit.{field}.max must be a whole number >= 1")
    return kind, found


def plan(balance: int, due: int, ratio: Decimal, limit: tuple[str, int | None]) -> Payment:
    """The payment of an order with ``due`` left from a card holding ``balance`` points."""
    kind, most = limit
    points = balance if kind != "POINTS_LIMIT" else min(balance, most or 0)
    amount_cap = due if kind != "AMOUNT_LIMIT" else min(due, most or 0)
    affordable = int((Decimal(amount_cap) / ratio).to_integral_value(rounding=ROUND_FLOOR))
    points = max(0, min(points, affordable))
    paid = int((ratio * points).to_integral_value(rounding=ROUND_FLOOR))
    return Payment(points, paid)
