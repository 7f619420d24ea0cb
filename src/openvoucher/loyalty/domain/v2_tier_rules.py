"""Loyalty v2 tier structures on the v1 tier engine: the mapping, and tier movements. Pure.

A v2 structure assigned to a programme becomes the ``loyalty_tiers_expiration`` and the tiers
of the v1 campaign backing its wallet (ADR 0081), so members move by ``loyalty.tiers``:

- ``POINT_BALANCE`` with ``NO_RETENTION``: ``BALANCE`` / ``BALANCE_DROP`` (the balance decides
  at every change); with ``FIXED_DURATION``: ``BALANCE`` / ``CUSTOM`` extended by the duration
  (the tier holds from reaching it, the balance decides again at expiry);
- ``POINT_EARNED`` (1, 3, 6 or 12 months, or one year; calendar periods in the project's time
  zone): ``POINTS_IN_PERIOD`` ending with the period, ``IMMEDIATELY`` → ``IMMEDIATE``,
  ``NEXT_TRACKING_PERIOD`` → ``NEXT_PERIOD``.

Both with ``MULTI_LEVEL`` downgrade (the highest tier the points still reach). Each movement of
a v1 tier event kind is a v2 tier transaction type; the tiers reports count them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

from openvoucher.loyalty.domain.v2_card_definitions import invalid, not_supported

EARNED_PERIODS = {("MONTH", 1): "MONTH", ("MONTH", 3): "QUARTER", ("MONTH", 6): "HALF_YEAR"}
EARNED_PERIODS |= {("MONTH", 12): "YEAR", ("YEAR", 1): "YEAR"}
MAX_DURATION = {"DAY": 1095, "MONTH": 36, "YEAR": 3}
TYPES = {
    "customer.loyalty.tier.joined": "JOINED",
    "customer.loyalty.tier.left": "LEFT",
    "customer.loyalty.tier.upgraded": "UPGRADED",
    "customer.loyalty.tier.downgraded": "DOWNGRADED",
    "customer.loyalty.tier.prolonged": "PROLONGED",
}
COUNTS = {
    "JOINED": "joins",
    "UPGRADED": "upgrades",
    "DOWNGRADED": "downgrades",
    "LEFT": "lefts",
    "PROLONGED": "prolongs",
}


def check_period(value: int, unit: str) -> None:
    """400 ``not_supported`` for a tracking period that is not a calendar month, quarter,
    half-year or year."""
    if (unit, value) not in EARNED_PERIODS:
        raise not_supported(
            "point_earned.period",
            "tracking periods are 1, 3, 6 or 12 MONTH or 1 YEAR (calendar periods)",
        )


def check_duration(kind: str, raw: Any) -> dict[str, Any]:
    """A ``FIXED_DURATION`` expiration as stored: a balance structure's tier holds for
    1–1095 days, 1–36 months or 1–3 years from reaching it."""
    if kind != "POINT_BALANCE":
        raise not_supported("expiration.type", "FIXED_DURATION applies to POINT_BALANCE only")
    period = ((raw or {}).get("fixed_duration") or {}).get("period") or {}
    unit, value = period.get("unit"), period.get("value")
    if unit not in MAX_DURATION or isinstance(value, bool) or not isinstance(value, int):
        raise not_supported(
            "expiration.fixed_duration.period", "a whole number of DAY, MONTH or YEAR"
        )
    if not 1 <= value <= MAX_DURATION[unit]:
        raise not_supported(
            "expiration.fixed_duration.period.value",
            f"1 to {MAX_DURATION[unit]} for {unit} (the ledger extends tiers up to 36 months)",
        )
    return {"type": "FIXED_DURATION", "fixed_duration": {"period": {"value": value, "unit": unit}}}


def _extend(period: dict[str, Any]) -> str:
    value, unit = int(period["value"]), period["unit"]
    if unit == "DAY":
        return f"P{value}D"
    return f"P{value * 12 if unit == 'YEAR' else value}M"


def v1_setting(attrs: dict[str, Any]) -> dict[str, Any]:
    """The v1 ``loyalty_tiers_expiration`` that applies the structure's stored ``attrs``."""
    if attrs["type"] == "POINT_EARNED":
        earned = attrs["point_earned"]
        period = EARNED_PERIODS[(earned["period"]["unit"], earned["period"]["value"])]
        start = "IMMEDIATE" if earned["type"] == "IMMEDIATELY" else "NEXT_PERIOD"
        return {
            "qualification_type": "POINTS_IN_PERIOD",
            "qualification_period": period,
            "start_date": {"type": start},
            "expiration_date": {"type": "END_OF_PERIOD"},
        }
    expiration = attrs.get("expiration") or {"type": "NO_RETENTION"}
    ends: dict[str, Any] = {"type": "BALANCE_DROP"}
    if expiration["type"] == "FIXED_DURATION":
        ends = {"type": "CUSTOM", "extend": _extend(expiration["fixed_duration"]["period"])}
    return {
        "qualification_type": "BALANCE",
        "start_date": {"type": "IMMEDIATE"},
        "expiration_date": ends,
    }


def v1_tier(tier: dict[str, Any]) -> dict[str, Any]:
    """A v2 tier row as the v1 tier row's fields (``attrs.v2_tier_id`` names it)."""
    points = tier["attrs"]["qualification_rules"]["points"]
    return {
        "name": tier["name"],
        "points_from": int(points["min_value"]),
        "points_to": points.get("max_value"),
        "attrs": {"earning_rules": {}, "rewards": {}, "metadata": {}, "v2_tier_id": tier["id"]},
    }


def movement_type(kind: str) -> str | None:
    """The v2 tier transaction type of a v1 tier event kind."""
    return TYPES.get(kind)


def counted(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, str], dict[str, int]]:
    """Tier transactions (their ``attrs``) counted per (tier structure, tier)."""
    found: dict[tuple[str, str], dict[str, int]] = {}
    for attrs in rows:
        key = (str(attrs["tier_structure_id"]), str(attrs["tier_id"]))
        slot = found.setdefault(key, dict.fromkeys(COUNTS.values(), 0))
        slot[COUNTS[attrs["type"]]] += 1
    return found


def summary_id(structure_id: str, tier_id: str) -> str:
    """A summary row's id: stable for its structure and tier, hex as the spec's ids."""
    return "lptrs_" + structure_id.removeprefix("lts_") + tier_id.removeprefix("lt_")


def by_period(
    rows: Iterable[tuple[date, dict[str, Any]]],
) -> dict[date, dict[tuple[str, str], dict[str, int]]]:
    """``(period's first day, attrs)`` pairs counted per period, structure and tier."""
    grouped: dict[date, list[dict[str, Any]]] = {}
    for first, attrs in rows:
        grouped.setdefault(first, []).append(attrs)
    return {first: counted(items) for first, items in grouped.items()}


def earning_tier_rules(raw: Any, where: str) -> dict[str, Any] | None:
    """An earning's ``tier_rules`` as stored: None (no requirement) or ``ANY_OF`` entries of a
    tier structure and its tiers."""
    if raw is None:
        return None
    kind = raw.get("type") if isinstance(raw, dict) else None
    entries = raw.get("any_of") if isinstance(raw, dict) else None
    if kind == "NO_REQUIREMENTS" and entries is None:
        return None
    if kind != "ANY_OF" or not isinstance(entries, list) or not entries:
        raise invalid(f"{where}.tier_rules: NO_REQUIREMENTS, or ANY_OF with any_of entries")
    found = []
    for entry in entries:
        ident = entry.get("tier_structure_id") if isinstance(entry, dict) else None
        tiers = entry.get("tier_ids") if isinstance(entry, dict) else None
        if not isinstance(ident, str) or not isinstance(tiers, list) or not tiers:
            raise invalid(f"{where}.tier_rules.any_of needs tier_structure_id and tier_ids")
        if not all(isinstance(t, str) for t in tiers):
            raise invalid(f"{where}.tier_rules.any_of.tier_ids are tier ids")
        found.append({"tier_structure_id": ident, "tier_ids": list(tiers)})
    return {"type": "ANY_OF", "any_of": found}


def qualifies(rules: dict[str, Any] | None, held: Collection[tuple[str, str]]) -> bool:
    """Whether a member holding ``held`` (tier structure, tier) meets an earning's
    ``tier_rules``."""
    if rules is None:
        return True
    return any(
        (entry["tier_structure_id"], tier) in held
        for entry in rules["any_of"]
        for tier in entry["tier_ids"]
    )


def tier_refs(attrs: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The tier structures and tiers an earning rule's ``tier_rules`` name."""
    return [
        (entry["tier_structure_id"], entry["tier_ids"])
        for earning in attrs["earnings"]
        for entry in (earning.get("tier_rules") or {}).get("any_of") or []
    ]
