"""Rounding a tier's expiry (``loyalty_tiers_expiration.expiration_date.rounding``). Pure.

The spec's two shapes (the loyalty campaign object, "Calendar Periods" and "Specific Month"):

- ``type`` ``MONTH`` / ``QUARTER`` / ``HALF_YEAR`` / ``YEAR``: the calendar period holding the
  computed expiry;
- ``type`` ``CUSTOM`` with ``unit`` ``MONTH`` and ``value`` 0 (January) … 11 (December): the
  first occurrence of that calendar month ending at or after the computed expiry.

``strategy`` ``END`` (the default) moves the expiry to the end of that period (an expiry exactly
on a period boundary stays); ``START`` moves it to the period's start, but never to or before
the instant the tier was reached (then the unrounded expiry holds). Periods are local calendar
periods in the project's time zone. See docs/adr/0066.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

CALENDAR = {"MONTH": 1, "QUARTER": 3, "HALF_YEAR": 6, "YEAR": 12}
STRATEGIES = ("START", "END")


@dataclass(frozen=True)
class Rounding:
    """A checked rounding: ``months`` long calendar periods, or one calendar ``month`` (0-11)."""

    months: int = 0
    month: int | None = None
    start: bool = False


def of(raw: dict[str, Any] | None) -> Rounding | None:
    """The rounding of a stored (already checked) ``rounding`` object."""
    if not raw or not raw.get("type"):
        return None
    start = raw.get("strategy") == "START"
    if raw["type"] == "CUSTOM":
        return Rounding(month=int(raw["value"]), start=start)
    return Rounding(months=CALENDAR[str(raw["type"])], start=start)


def _month(year: int, index: int, zone: ZoneInfo) -> datetime:
    """The start (UTC) of the local calendar month ``index`` (0-based, may overflow) of ``year``."""
    local = datetime(year + index // 12, index % 12 + 1, 1, tzinfo=zone)
    return local.astimezone(UTC)


def _period(ends: datetime, rounding: Rounding, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The (start, end) of the period the expiry is rounded within."""
    local = ends.astimezone(zone)
    if rounding.month is None:
        first = (local.month - 1) // rounding.months * rounding.months
        begin = _month(local.year, first, zone)
        if begin == ends:
            return begin, begin
        return begin, _month(local.year, first + rounding.months, zone)
    year = local.year
    if _month(year, rounding.month + 1, zone) < ends:
        year += 1
    return _month(year, rounding.month, zone), _month(year, rounding.month + 1, zone)


def rounded(ends: datetime, rounding: Rounding | None, zone: ZoneInfo, since: datetime) -> datetime:
    """``ends`` rounded to the start or end of its period (never at or before ``since``)."""
    if rounding is None:
        return ends
    begin, end = _period(ends, rounding, zone)
    if not rounding.start:
        return end
    return begin if begin > since else ends
