"""When a voucher (or campaign, or earning rule) may be used: dates, weekdays, timeframes, hours.

Pure: the caller passes ``now``. Each check returns a Voucherify error key, or None when valid.
Weekdays follow Voucherify: 0 is Sunday … 6 is Saturday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)


def parse_duration(text: str) -> timedelta:
    """An ISO-8601 duration without years/months (``P1D``, ``PT2H30M``, ``P2W``)."""
    match = _DURATION.match(text or "")
    if match is None or text in {"P", "PT"}:
        raise ValueError(f"not an ISO-8601 duration: {text!r}")
    parts = {name: int(value) for name, value in match.groupdict().items() if value}
    return timedelta(**parts)


def voucherify_weekday(moment: datetime) -> int:
    """0 = Sunday … 6 = Saturday."""
    return (moment.weekday() + 1) % 7


@dataclass(frozen=True)
class Validity:
    """The validity settings of one usable thing."""

    start_date: datetime | None = None
    expiration_date: datetime | None = None
    day_of_week: tuple[int, ...] | None = None
    timeframe: dict[str, Any] | None = None
    hours: dict[str, Any] | None = None

    def problem(self, now: datetime) -> str | None:
        """The first reason it cannot be used at ``now``, as an error key."""
        if self.start_date is not None and now < self.start_date:
            return "voucher_not_active"
        if self.expiration_date is not None and now > self.expiration_date:
            return "voucher_expired"
        if not self.active_now(now):
            return "voucher_not_active_now"
        return None

    def active_now(self, now: datetime) -> bool:
        """Whether weekday, recurring timeframe and daily hours all allow ``now``."""
        if self.day_of_week and voucherify_weekday(now) not in self.day_of_week:
            return False
        if self.timeframe and not _in_timeframe(self.timeframe, self.start_date, now):
            return False
        return not (self.hours and not _in_daily_hours(self.hours, now))


def _in_timeframe(frame: dict[str, Any], start: datetime | None, now: datetime) -> bool:
    interval = parse_duration(str(frame.get("interval") or ""))
    duration = parse_duration(str(frame.get("duration") or ""))
    if interval <= timedelta(0):
        return True
    anchor = start or now.replace(hour=0, minute=0, second=0, microsecond=0)
    if now < anchor:
        return False
    return (now - anchor) % interval < duration


def _clock(text: str) -> time:
    return time.fromisoformat(text)


def _in_daily_hours(hours: dict[str, Any], now: datetime) -> bool:
    windows = hours.get("daily") or []
    if not windows:
        return True
    weekday = voucherify_weekday(now)
    current = now.time().replace(tzinfo=None)
    for window in windows:
        days = window.get("days_of_week")
        if days and weekday not in days:
            continue
        if _clock(window["start_time"]) <= current <= _clock(window["expiration_time"]):
            return True
    return False


def check_validity_settings(
    timeframe: dict[str, Any] | None,
    hours: dict[str, Any] | None,
    day_of_week: list[int] | None,
) -> str | None:
    """Why validity settings are malformed (a message), or None when they are fine."""
    try:
        if timeframe:
            parse_duration(str(timeframe.get("interval") or ""))
            parse_duration(str(timeframe.get("duration") or ""))
        for window in (hours or {}).get("daily") or []:
            _clock(window["start_time"])
            _clock(window["expiration_time"])
    except (ValueError, KeyError, TypeError) as exc:
        return f"Invalid validity settings: {exc}"
    if day_of_week and any(day not in range(7) for day in day_of_week):
        return "validity_day_of_week holds days 0 (Sunday) to 6 (Saturday)"
    return None
