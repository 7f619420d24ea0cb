"""A customer's holdings as the customer object reports them: ``loyalty`` (points across their
loyalty cards, referred customers, and per campaign name the points, tier and referrals) and the
balances of ``summary.redemptions`` (gift credits and points left, points spent).

Points are the cards' balances, which already exclude expired points (expiry deducts them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Holdings:
    """What one customer holds."""

    loyalty: dict[str, Any] = field(
        default_factory=lambda: {"points": 0, "referred_customers": 0, "campaigns": {}}
    )
    amount_to_go: int = 0
    """Gift credits left across the customer's gift cards."""
    points_to_go: int = 0
    """Points left across the customer's loyalty cards."""
    redeemed_points: int = 0
    """Points spent from the customer's loyalty cards."""


def holdings(cards: Iterable[Mapping[str, Any]], referred: Iterable[Mapping[str, Any]]) -> Holdings:
    """The holdings from card rows (``type``, balances, ``attrs``, ``campaign`` name) and
    referral counts (``campaign`` name, ``count``)."""
    campaigns: dict[str, dict[str, Any]] = {}
    points = amount = spent = 0
    for card in cards:
        if card["type"] not in ("GIFT_VOUCHER", "LOYALTY_CARD"):
            continue
        if card["type"] == "GIFT_VOUCHER":
            amount += int(card["gift_balance"] or 0)
            continue
        balance = int(card["loyalty_balance"] or 0)
        points += balance
        attrs = card["attrs"] or {}
        spent += int(attrs.get("loyalty_redeemed_points") or 0)
        entry = campaigns.setdefault(str(card["campaign"]), {"points": 0, "referred_customers": 0})
        entry["points"] += balance
        tier = attrs.get("loyalty_tier")
        if tier:
            entry["loyalty_tier"] = tier["id"]
    total_referred = 0
    for made in referred:
        count = int(made["count"])
        total_referred += count
        entry = campaigns.setdefault(str(made["campaign"]), {"referred_customers": 0})
        entry["referred_customers"] = int(entry.get("referred_customers", 0)) + count
    loyalty = {"points": points, "referred_customers": total_referred, "campaigns": campaigns}
    return Holdings(loyalty, amount_to_go=amount, points_to_go=points, redeemed_points=spent)
