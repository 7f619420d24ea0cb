"""A v2 card's tier progress (``member_tier_progress``): the tier it holds, what threatens
it, what it may reach, and a tier deferred to the next tracking period, all read from the
v1 tier engine's state of the card (``attrs.loyalty_tier``, ``attrs.loyalty_tier_next``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from openvoucher.catalog import campaigns
from openvoucher.catalog import vouchers as catalog_vouchers
from openvoucher.kernel.clock import iso, parse_datetime
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty import period_tiers
from openvoucher.loyalty.domain import tier_periods as periods
from openvoucher.loyalty.domain.loyalty import tier_for
from openvoucher.loyalty.presenters import v2_tiers as shown
from openvoucher.loyalty.repositories import period_tiers as period_rows
from openvoucher.loyalty.repositories.loyalty_rules import TierRepository
from openvoucher.loyalty.v2 import member_tiers

NONE: dict[str, Any] = {
    "current": None,
    "tier_structure": None,
    "deferred": [],
    "risks": [],
    "opportunities": [],
    "object": "member_tier_progress",
}
"""The progress of a card whose programme has no tier structure applied."""


def earned_now(tx: Tx, card: dict[str, Any]) -> tuple[int, datetime]:
    """Points the card earned in the current tracking period, and when the period ends."""
    campaign = campaigns.require(tx, card["campaign_id"])
    rules = period_tiers.rules(tx, campaign)
    start = periods.period_start(tx.now, rules)
    end = periods.shifted(start, rules, 1)
    return period_rows.collected(tx.conn, tx.project_id, card["id"], start, end), end


def _mirrored(tx: Tx, campaign_id: str, structure_id: str) -> list[dict[str, Any]]:
    rows = TierRepository(tx.conn, tx.project_id).of_campaign(campaign_id)
    return [r for r in rows if r["attrs"].get("v2_tier_structure_id") == structure_id]


def progress(tx: Tx, v2_card: dict[str, Any]) -> dict[str, Any]:
    """The card's ``member_tier_progress``."""
    structure = member_tiers.structure_of(tx, v2_card["program_id"])
    card = catalog_vouchers.find(tx, v2_card["voucher_id"])
    if structure is None or card is None:
        return dict(NONE)
    levels = _mirrored(tx, card["campaign_id"], structure["id"])
    if not levels:
        return dict(NONE)
    earned = structure["attrs"]["type"] == "POINT_EARNED"
    points, period_end = earned_now(tx, card) if earned else (int(card["loyalty_balance"]), None)
    held = card["attrs"].get("loyalty_tier") or None
    level = next((t for t in levels if held and t["id"] == held["id"]), None)
    body = dict(NONE)
    body["tier_structure"] = {"id": structure["id"], "object": "tier_structure"}
    if level is not None and held is not None:
        body["current"] = shown.current(level, held, points)
        body["risks"] = _risks(level, held, levels, 0 if earned else points)
    floor = level["points_from"] if level else -1
    body["opportunities"] = [
        shown.opportunity(t, points, iso(period_end) if period_end else None)
        for t in levels
        if t["points_from"] > max(floor, points)
    ]
    body["deferred"] = _deferred(tx, card, levels, points) if earned else []
    return body


def _risks(
    level: dict[str, Any], held: dict[str, Any], levels: list[dict[str, Any]], points: int
) -> list[dict[str, Any]]:
    """At an expiring tier's expiry the points then decide (for a points-earned structure,
    a new period's: none yet): a lower tier is a downgrade, none leaves the structure."""
    if not held.get("expires_at"):
        return []
    then = tier_for(points, levels)
    if then is not None and then["points_from"] >= level["points_from"]:
        return []
    kind = "TIER_DOWNGRADE" if then is not None else "TIER_LEFT"
    return [{"type": kind, "date": held["expires_at"], "tier": shown.ref(then) if then else None}]


def _deferred(
    tx: Tx, card: dict[str, Any], levels: list[dict[str, Any]], points: int
) -> list[dict[str, Any]]:
    """The tier this period's points grant from the next period (``NEXT_TRACKING_PERIOD``)."""
    starts = card["attrs"].get(period_tiers.NEXT)
    fit = tier_for(points, levels)
    if not starts or fit is None:
        return []
    campaign = campaigns.require(tx, card["campaign_id"])
    rules = period_tiers.rules(tx, campaign)
    begin = parse_datetime(starts)
    ends = periods.shifted(periods.period_start(begin, rules), rules, 1)
    return [{"tier": shown.ref(fit), "start_at": starts, "expires_at": iso(ends)}]
