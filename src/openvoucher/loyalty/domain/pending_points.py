"""Pending points rules: an earning rule's ``pending_points`` setting and activation dates.

Pure. Points an ``order.paid`` rule gives wait ``period_value`` days (``period_type`` DAY, 1 to
90) before they reach the card's balance: they are activated at 00:00 UTC of the day that many
days after the day they were earned.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from openvoucher.kernel.errors import InvalidPayload

PERIOD_TYPES = ("DAY",)
MIN_DAYS = 1
MAX_DAYS = 90
EVENTS = ("order.paid",)

PENDING = "PENDING"
ACTIVATED = "ACTIVATED"
CANCELED = "CANCELED"


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", details)


def check_setting(raw: Any, event: str) -> dict[str, Any] | None:
    """The rule's ``pending_points`` as stored (None: points are given at once), or 400."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _invalid("pending_points must be an object")
    unknown = sorted(set(raw) - {"period_type", "period_value"})
    if unknown:
        raise _invalid(f"pending_points has unknown fields: {', '.join(unknown)}")
    if event not in EVENTS:
        raise _invalid("pending_points can be used only with the order.paid event")
    kind = raw.get("period_type") or "DAY"
    if kind not in PERIOD_TYPES:
        raise _invalid("pending_points.period_type must be DAY")
    days = raw.get("period_value")
    if isinstance(days, bool) or not isinstance(days, int) or not MIN_DAYS <= days <= MAX_DAYS:
        raise _invalid(
            f"pending_points.period_value must be a whole number of days, {MIN_DAYS} to {MAX_DAYS}"
        )
    return {"period_type": kind, "period_value": days}


def activation_moment(earned: datetime, setting: dict[str, Any]) -> datetime:
    """When points earned at ``earned`` under ``setting`` become active (00:00 UTC)."""
    day = earned.astimezone(UTC).date() + timedelta(days=int(setting["period_value"]))
    return datetime.combine(day, time(0), tzinfo=UTC)


def check_adjustment(current: int, change: Any) -> int:
    """The entry's points after adding ``change`` (negative subtracts); 400 when the change is
    not a non-zero integer or would leave the entry with less than one point."""
    if isinstance(change, bool) or not isinstance(change, int) or change == 0:
        raise _invalid("points must be a non-zero integer: positive adds, negative subtracts")
    after = current + change
    if after < 1:
        raise _invalid(
            f"Cannot subtract {-change} pending points from an entry of {current}: "
            "at least 1 point must stay pending (cancel the entry instead)"
        )
    return after
