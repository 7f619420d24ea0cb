"""Loyalty v2 tier transactions, tiers reports and tier progress parts, rendered. Pure."""

from __future__ import annotations

from datetime import date
from typing import Any

from openvoucher.kernel.clock import iso
from openvoucher.loyalty.domain import v2_tier_rules


def transaction(row: dict[str, Any]) -> dict[str, Any]:
    """A ``tier_transaction``."""
    attrs = row["attrs"]
    return {
        "id": row["id"],
        "card_id": row["card_id"],
        "program_id": attrs["program_id"],
        "member_id": row["member_id"],
        "card_definition_id": attrs["card_definition_id"],
        "tier_structure_id": attrs["tier_structure_id"],
        "tier_id": attrs["tier_id"],
        "type": attrs["type"],
        "details": attrs["details"],
        "status": attrs["status"],
        "created_at": iso(row["created_at"]),
        "updated_at": None,
        "object": "tier_transaction",
    }


def ref(level: dict[str, Any]) -> dict[str, Any]:
    """A ``MemberTierProgressTier`` of a mirrored v1 tier row."""
    return {"id": level["attrs"].get("v2_tier_id"), "name": level["name"]}


def current(level: dict[str, Any], held: dict[str, Any], points: int) -> dict[str, Any]:
    """The tier held, since when, until when, and where the points stand in its range."""
    position: dict[str, Any] = {"current": points, "min": level["points_from"]}
    if level["points_to"] is not None:
        position["max"] = level["points_to"]
    return {
        "tier": ref(level),
        "start_at": held.get("since"),
        "expires_at": held.get("expires_at"),
        "points": position,
    }


def opportunity(level: dict[str, Any], points: int, until: str | None) -> dict[str, Any]:
    """A higher tier and the points still needed to reach it."""
    return {"valid_until": until, "tier": ref(level), "points": level["points_from"] - points}


def _counts(found: dict[str, int] | None) -> dict[str, int]:
    return found or dict.fromkeys(v2_tier_rules.COUNTS.values(), 0)


def daily_entry(first: date, key: tuple[str, str], counts: dict[str, int]) -> dict[str, Any]:
    """A ``program_tiers_daily_report`` row."""
    return {
        "date": first.isoformat(),
        "tier_structure_id": key[0],
        "tier_id": key[1],
        **_counts(counts),
        "object": "program_tiers_daily_report",
    }


def summary_entry(key: tuple[str, str], counts: dict[str, int]) -> dict[str, Any]:
    """A ``program_tiers_summary_report`` row."""
    return {
        "id": v2_tier_rules.summary_id(*key),
        "tier_structure_id": key[0],
        "tier_id": key[1],
        **_counts(counts),
        "object": "program_tiers_summary_report",
    }
