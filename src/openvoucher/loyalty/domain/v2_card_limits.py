"""Loyalty v2 card definitions' earning and spending limits: checked, and what they allow.

Pure. ``earning_limits``: a global limit (``BALANCE_BASED``: the card's balance, pending
points included, never goes above ``max``; ``TIME_BASED``: at most ``points.max`` earned per
calendar period) caps an earning to what fits; a transaction ``POINTS`` limit refuses an
earning above ``max`` in full (it gives nothing). ``spending_limits``: a global limit
(``SPENDING_BASED``: lifetime points spent; ``TIME_BASED``: points spent per calendar period)
and a transaction ``POINTS`` limit together give the points one spend may take. Periods are
calendar periods of the project's time zone (weeks Monday first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from openvoucher.kernel.errors import InvalidPayload, VoucherifyError

UNITS = ("DAY", "WEEK", "MONTH", "QUARTER", "YEAR")
NO_LIMIT: dict[str, Any] = {"type": "NO_LIMIT", "limits": []}
_GLOBAL = {
    "earning_limits": ("BALANCE_BASED", "TIME_BASED"),
    "spending_limits": ("SPENDING_BASED", "TIME_BASED"),
}


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", details)


def _positive(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _invalid(f"{where} must be an integer >= 1")
    return value


def _time_based(raw: dict[str, Any], where: str) -> dict[str, Any]:
    period = raw.get("period") or {}
    unit = (period.get("current_period") or {}).get("unit")
    if period.get("type") != "CURRENT_PERIOD" or unit not in UNITS:
        raise _invalid(f"{where}.period: CURRENT_PERIOD with current_period.unit in {UNITS}")
    points = _positive((raw.get("points") or {}).get("max"), f"{where}.points.max")
    return {
        "type": "TIME_BASED",
        "period": {"type": "CURRENT_PERIOD", "current_period": {"unit": unit}},
        "points": {"max": points},
    }


def _global_limit(raw: Any, field: str) -> dict[str, Any]:
    where = f"{field}.global.limits[0]"
    kind = raw.get("type") if isinstance(raw, dict) else None
    if kind not in _GLOBAL[field]:
        raise _invalid(f"{where}.type must be one of {_GLOBAL[field]}")
    if kind == "TIME_BASED":
        return _time_based(raw, where)
    return {"type": kind, "max": _positive(raw.get("max"), f"{where}.max")}


def _transaction_limit(raw: Any, field: str) -> dict[str, Any]:
    kind = raw.get("type") if isinstance(raw, dict) else None
    if kind == "SPENDING" and field == "earning_limits":
        raise VoucherifyError(
            "Not supported",
            f"{field}.transactions.limits: SPENDING (min_amount) is not implemented",
            key="not_supported",
        )
    if kind != "POINTS":
        raise _invalid(f"{field}.transactions.limits[].type must be POINTS")
    return {"type": "POINTS", "max": _positive(raw.get("max"), f"{field}.transactions.max")}


def _part(raw: Any, field: str, part: str) -> dict[str, Any]:
    raw = raw or {}
    kind = raw.get("type", "NO_LIMIT")
    items = raw.get("limits") or []
    if kind == "NO_LIMIT" and not items:
        return dict(NO_LIMIT, limits=[])
    if kind != "LIMITED" or not isinstance(items, list) or len(items) != 1:
        raise _invalid(f"{field}.{part}: NO_LIMIT without limits, or LIMITED with exactly one")
    check = _global_limit if part == "global" else _transaction_limit
    return {"type": "LIMITED", "limits": [check(items[0], field)]}


def limits(raw: dict[str, Any] | None, field: str) -> dict[str, Any]:
    """The stored ``earning_limits`` / ``spending_limits`` (``field``) of a card definition."""
    raw = raw or {}
    return {part: _part(raw.get(part), field, part) for part in ("global", "transactions")}


def _only(setting: dict[str, Any], part: str) -> dict[str, Any] | None:
    chosen: dict[str, Any] = setting.get(part) or NO_LIMIT
    if chosen["type"] != "LIMITED":
        return None
    found: dict[str, Any] = chosen["limits"][0]
    return found


def period_unit(setting: dict[str, Any]) -> str | None:
    """The calendar unit of a ``TIME_BASED`` global limit (None: no period to judge)."""
    limit = _only(setting, "global")
    if limit is None or limit["type"] != "TIME_BASED":
        return None
    return str(limit["period"]["current_period"]["unit"])


def period_start(unit: str, today: date) -> date:
    """The first local day of the calendar ``unit`` holding ``today`` (ISO weeks)."""
    if unit == "DAY":
        return today
    if unit == "WEEK":
        return date.fromordinal(today.toordinal() - today.weekday())
    if unit == "MONTH":
        return today.replace(day=1)
    if unit == "QUARTER":
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    return today.replace(month=1, day=1)


@dataclass(frozen=True)
class Usage:
    """What the card has used: points earned (or spent) in the current period, in its whole
    life, and its balance (pending points included)."""

    in_period: int = 0
    lifetime: int = 0
    balance: int = 0


def earnable(setting: dict[str, Any], points: int, used: Usage) -> int:
    """The points an earning of ``points`` gives under the card's ``earning_limits``."""
    per_transaction = _only(setting, "transactions")
    if per_transaction is not None and points > per_transaction["max"]:
        return 0
    limit = _only(setting, "global")
    if limit is None:
        return points
    if limit["type"] == "BALANCE_BASED":
        room = int(limit["max"]) - used.balance
    else:
        room = int(limit["points"]["max"]) - used.in_period
    return max(0, min(points, room))


def spendable(setting: dict[str, Any], used: Usage) -> int | None:
    """The most points one spend may take under the card's ``spending_limits`` (None: no
    limit)."""
    caps: list[int] = []
    per_transaction = _only(setting, "transactions")
    if per_transaction is not None:
        caps.append(per_transaction["max"])
    limit = _only(setting, "global")
    if limit is not None and limit["type"] == "SPENDING_BASED":
        caps.append(limit["max"] - used.lifetime)
    elif limit is not None:
        caps.append(limit["points"]["max"] - used.in_period)
    return max(0, min(caps)) if caps else None


def refused(card_id: str, points: int, allowed: int) -> VoucherifyError:
    """400 ``spending_limit_exceeded``: the spend is above what the limits allow."""
    return VoucherifyError(
        "Spending limit exceeded",
        f"Card {card_id} may spend {allowed} more points under its wallet's spending limits, "
        f"not {points}",
        key="spending_limit_exceeded",
    )
