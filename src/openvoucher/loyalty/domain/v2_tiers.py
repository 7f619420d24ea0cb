"""Loyalty v2 tier structures and tiers: their settings, checked and defaulted.

Pure. A tier structure qualifies members by a wallet's balance (``POINT_BALANCE``) or by the
points a wallet earned in a tracking period (``POINT_EARNED``: 1–90 days, 1–52 weeks, 1–12
months or 1–5 years; the change applying ``IMMEDIATELY`` or at the ``NEXT_TRACKING_PERIOD``).
Tiers qualify by points alone (``min_value``, optional ``max_value``) and inherit the
structure's downgrade. What the v1 tier engine cannot apply (``v2_tier_rules``) is refused
with 400 ``not_supported``: tracking periods other than calendar months, quarters,
half-years and years; tier expiration other than ``NO_RETENTION`` or (balance structures)
``FIXED_DURATION``; downgrades other than ``MULTI_LEVEL`` without a grace period;
``POINTS_AND_SEGMENT`` qualification; a tier's ``NO_DOWNGRADE``.
"""

from __future__ import annotations

from typing import Any

from openvoucher.loyalty.domain import v2_tier_rules
from openvoucher.loyalty.domain.v2_card_definitions import invalid, not_supported

PERIOD_MAX = {"DAY": 90, "WEEK": 52, "MONTH": 12, "YEAR": 5}
TYPES = {"POINT_BALANCE": "point_balance", "POINT_EARNED": "point_earned"}


def _wallet(raw: Any, where: str) -> str:
    found = raw.get("card_definition_id") if isinstance(raw, dict) else None
    if not isinstance(found, str) or not found:
        raise invalid(f"{where}.card_definition_id is required")
    return found


def _earned(raw: Any) -> dict[str, Any]:
    wallet = _wallet(raw, "point_earned")
    period = raw.get("period")
    if not isinstance(period, dict) or period.get("unit") not in PERIOD_MAX:
        raise invalid("point_earned.period needs unit DAY, WEEK, MONTH or YEAR and a value")
    value, unit = period.get("value"), period["unit"]
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= PERIOD_MAX[unit]:
        raise invalid(f"point_earned.period.value must be 1 to {PERIOD_MAX[unit]} for {unit}")
    v2_tier_rules.check_period(value, unit)
    if raw.get("type") not in {"IMMEDIATELY", "NEXT_TRACKING_PERIOD"}:
        raise invalid("point_earned.type must be IMMEDIATELY or NEXT_TRACKING_PERIOD")
    return {
        "card_definition_id": wallet,
        "period": {"value": value, "unit": unit},
        "type": raw["type"],
    }


def _expiration(raw: Any, structure: str) -> dict[str, Any]:
    kind = (raw or {}).get("type") if isinstance(raw, dict) or raw is None else None
    if kind == "FIXED_DURATION":
        return v2_tier_rules.check_duration(structure, raw)
    if kind not in {None, "NO_RETENTION"}:
        raise not_supported("expiration.type", "only NO_RETENTION and FIXED_DURATION")
    return {"type": "NO_RETENTION"}


def _downgrade(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {"type": "MULTI_LEVEL"}
    if not isinstance(raw, dict) or raw.get("type") != "MULTI_LEVEL":
        raise not_supported("downgrade.type", "only MULTI_LEVEL")
    if raw.get("grace_period") is not None:
        raise not_supported("downgrade.grace_period", "downgrades apply at once")
    return {"type": "MULTI_LEVEL"}


def structure_settings(
    fields: dict[str, Any], current: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A tier structure's stored attrs after applying ``fields``."""
    base = current or {}

    def pick(name: str) -> Any:
        return fields[name] if name in fields else base.get(name)

    kind = pick("type")
    if kind not in TYPES:
        raise invalid("type must be POINT_BALANCE or POINT_EARNED")
    wanted = TYPES[kind]
    other = TYPES["POINT_EARNED" if kind == "POINT_BALANCE" else "POINT_BALANCE"]
    if fields.get(other) is not None:
        raise invalid(f"{other} must be null for a {kind} tier structure")
    config = pick(wanted)
    body: dict[str, Any] = {"type": kind}
    if kind == "POINT_BALANCE":
        body[wanted] = {"card_definition_id": _wallet(config, wanted)}
    else:
        body[wanted] = _earned(config)
    body["expiration"] = _expiration(pick("expiration"), kind)
    body["downgrade"] = _downgrade(pick("downgrade"))
    body["metadata"] = pick("metadata") or {}
    return body


def _bound(raw: Any, field: str) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw <= 1_000_000_000:
        raise invalid(f"qualification_rules.points.{field} must be a whole number 0–1000000000")
    return raw


def _qualification(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("type") not in {"POINTS", "POINTS_AND_SEGMENT"}:
        raise invalid("qualification_rules.type must be POINTS or POINTS_AND_SEGMENT")
    if raw["type"] != "POINTS" or raw.get("segment") is not None:
        raise not_supported("qualification_rules.segment", "tiers qualify by points only")
    points = raw.get("points")
    if not isinstance(points, dict):
        raise invalid("qualification_rules.points is required")
    found = {"min_value": _bound(points.get("min_value"), "min_value")}
    if points.get("max_value") is not None:
        found["max_value"] = _bound(points["max_value"], "max_value")
        if found["max_value"] < found["min_value"]:
            raise invalid("qualification_rules.points.max_value is below min_value")
    return {"type": "POINTS", "points": found}


def tier_settings(fields: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """A tier's stored attrs after applying ``fields``."""
    base = current or {}

    def pick(name: str) -> Any:
        return fields[name] if name in fields else base.get(name)

    downgrade = (pick("downgrade") or {}).get("type") or "INHERIT"
    if downgrade != "INHERIT":
        raise not_supported("downgrade.type", "tiers inherit the structure's downgrade")
    return {
        "qualification_rules": _qualification(pick("qualification_rules")),
        "downgrade": {"type": "INHERIT"},
        "metadata": pick("metadata") or {},
    }


def wallets(attrs: dict[str, Any]) -> set[str]:
    """The card definition the structure tracks."""
    return {attrs[TYPES[attrs["type"]]]["card_definition_id"]}
