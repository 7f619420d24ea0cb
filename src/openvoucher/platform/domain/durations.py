"""Durations for time travel: ``30d``, ``2h``, ``12mo``, ``1y``, ISO 8601 ``P1M``/``PT2H``, seconds.

Calendar units (months, years) are added on the calendar, so ``12mo`` from 15 January lands on
15 January next year; the day is clamped to the month's last day (31 Jan + 1mo = 28/29 Feb).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_SHORT = re.compile(r"^(\d+)(s|m|h|d|w|mo|y)$")
_ISO = re.compile(
    r"^P(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


@dataclass(frozen=True)
class Duration:
    """Calendar months plus an exact time span."""

    months: int = 0
    span: timedelta = timedelta(0)

    def after(self, start: datetime) -> datetime:
        """The instant this duration after ``start``."""
        return add_months(start, self.months) + self.span

    @property
    def is_zero(self) -> bool:
        """True when it moves nothing."""
        return self.months == 0 and self.span == timedelta(0)


def add_months(start: datetime, months: int) -> datetime:
    """``start`` moved by whole calendar months, the day clamped to the target month."""
    if months == 0:
        return start
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return start.replace(year=year, month=month + 1, day=day)


def parse_duration(text: str | int | float) -> Duration:
    """Parse a non-negative duration; ``ValueError`` with a readable message otherwise."""
    if isinstance(text, int | float):
        return _seconds(float(text))
    raw = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", raw):
        return _seconds(float(raw))
    short = _SHORT.match(raw.lower())
    if short:
        value, unit = int(short.group(1)), short.group(2)
        if unit in {"mo", "y"}:
            return Duration(months=value * (12 if unit == "y" else 1))
        return Duration(span=timedelta(seconds=value * _UNITS[unit]))
    return _iso(raw.upper())


def _seconds(value: float) -> Duration:
    if value < 0:
        raise ValueError("a duration cannot be negative")
    return Duration(span=timedelta(seconds=value))


def _iso(raw: str) -> Duration:
    found = _ISO.match(raw)
    if not found or raw in {"P", "PT"} or raw.endswith("T"):
        raise ValueError(f"'{raw}' is not a duration (try 30d, 2h, 12mo, 1y, PT2H or P1M)")
    parts = {k: float(v) if v else 0.0 for k, v in found.groupdict().items()}
    span = timedelta(
        weeks=parts["w"],
        days=parts["d"],
        hours=parts["h"],
        minutes=parts["mi"],
        seconds=parts["s"],
    )
    return Duration(months=int(parts["y"]) * 12 + int(parts["mo"]), span=span)
