"""Loyalty v2 report periods: which period (day, week, month, quarter) a day falls in.

Pure. A period is named by its first day; weeks start on Monday (ISO weeks).
"""

from __future__ import annotations

from datetime import date, timedelta

from openvoucher.loyalty.domain.v2_card_definitions import invalid

RESOLUTIONS = ("day", "week", "month", "quarter")
LIMITS = {"day": 90, "week": 12, "month": 12, "quarter": 4}
"""The most periods an earning report covers, by resolution (the spec's limits)."""
MAX_PERIODS = 400


def period_start(day: date, resolution: str) -> date:
    """The first day of the period ``day`` falls in."""
    if resolution == "day":
        return day
    if resolution == "week":
        return day - timedelta(days=day.weekday())
    if resolution == "month":
        return day.replace(day=1)
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def periods(start: date, end: date, resolution: str) -> list[date]:
    """Every period from the one holding ``start`` to the one holding ``end``; 400 for an
    unknown resolution, ``end`` before ``start`` or more than :data:`MAX_PERIODS` periods."""
    if resolution not in RESOLUTIONS:
        raise invalid(f"resolution must be one of {', '.join(RESOLUTIONS)}")
    if end < start:
        raise invalid("end_date must not be before start_date")
    found: list[date] = []
    day = start
    while day <= end:
        first = period_start(day, resolution)
        if not found or found[-1] != first:
            found.append(first)
        if len(found) > MAX_PERIODS:
            raise invalid(f"a report covers at most {MAX_PERIODS} periods")
        day += timedelta(days=1)
    return found


def checked_periods(start: date, end: date, resolution: str) -> list[date]:
    """:func:`periods`, also 400 past the spec's limit for the resolution (90 days, 12 weeks,
    12 months, 4 quarters)."""
    firsts = periods(start, end, resolution)
    if len(firsts) > LIMITS[resolution]:
        raise invalid(f"a {resolution} report covers at most {LIMITS[resolution]} periods")
    return firsts
