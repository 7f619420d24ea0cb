"""Tiers by points collected in a period (``POINTS_IN_PERIOD``, build/loyalty-tiers.mdx). Pure.

A period is a calendar month, quarter, half-year or year in the project's time zone. Points
collected in a period grant the tier whose range holds them from the instant the threshold is
reached (``IMMEDIATE`` start) or from the start of the next period (``NEXT_PERIOD`` start)
until the end of the period it started in (``END_OF_PERIOD``) or of the one after
(``END_OF_NEXT_PERIOD``), pushed back by ``extend`` (ISO 8601 months and days). A member holds
the highest tier any started, still-valid period grants; of equal grants, the latest expiry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from openvoucher.loyalty.domain import tier_rounding
from openvoucher.loyalty.domain.loyalty import tier_for
from openvoucher.loyalty.domain.tier_rounding import Rounding

PERIOD_MONTHS = {"MONTH": 1, "QUARTER": 3, "HALF_YEAR": 6, "YEAR": 12}
EXTEND = re.compile(r"^P(?:(\d{1,3})M)?(?:(\d{1,4})D)?$")
LOOKBACK = 40
"""At most this many earlier periods can still grant a tier (extend is bounded)."""


@dataclass(frozen=True)
class PeriodRules:
    """The period settings of a programme, in its project's time zone."""

    months: int
    next_period_end: bool
    extend_months: int
    extend_days: int
    zone: ZoneInfo
    delay: int = 0
    """Periods between qualifying and holding the tier: 1 for ``NEXT_PERIOD`` start."""
    rounding: Rounding | None = None
    """How the expiry is rounded (``expiration_date.rounding``; ADR 0066)."""


@dataclass(frozen=True)
class Grant:
    """The tier a member holds and when it expires."""

    tier: dict[str, Any]
    expires_at: datetime


def parse_extend(text: str | None) -> tuple[int, int] | None:
    """``P3M`` / ``P7D`` / ``P1M7D`` as (months, days); None when it does not parse."""
    if text is None:
        return (0, 0)
    found = EXTEND.match(text)
    if found is None or text == "P":
        return None
    return int(found.group(1) or 0), int(found.group(2) or 0)


def rules_of(setting: dict[str, Any], zone: ZoneInfo) -> PeriodRules:
    """The rules of a stored (already checked) ``loyalty_tiers_expiration``."""
    expiration = setting.get("expiration_date") or {}
    extend = parse_extend(expiration.get("extend")) or (0, 0)
    return PeriodRules(
        months=PERIOD_MONTHS[setting["qualification_period"]],
        next_period_end=expiration.get("type") == "END_OF_NEXT_PERIOD",
        extend_months=extend[0],
        extend_days=extend[1],
        zone=zone,
        delay=1 if (setting.get("start_date") or {}).get("type") == "NEXT_PERIOD" else 0,
        rounding=tier_rounding.of(expiration.get("rounding")),
    )


def _local_month(year: int, month_index: int, zone: ZoneInfo) -> datetime:
    return datetime(year + month_index // 12, month_index % 12 + 1, 1, tzinfo=zone)


def period_start(moment: datetime, rules: PeriodRules) -> datetime:
    """The start (UTC) of the period holding ``moment``."""
    local = moment.astimezone(rules.zone)
    first = (local.month - 1) // rules.months * rules.months
    return _local_month(local.year, first, rules.zone).astimezone(UTC)


def shifted(start: datetime, rules: PeriodRules, periods: int) -> datetime:
    """The start (UTC) of the period ``periods`` after the one starting at ``start``."""
    local = start.astimezone(rules.zone)
    index = local.month - 1 + periods * rules.months
    return _local_month(local.year, index, rules.zone).astimezone(UTC)


def extended(boundary: datetime, rules: PeriodRules) -> datetime:
    """``boundary`` pushed back by the extension (calendar months, then days, local time)."""
    local = boundary.astimezone(rules.zone)
    index = local.month - 1 + rules.extend_months
    moved = _local_month(local.year, index, rules.zone).replace(day=local.day)
    return (moved + timedelta(days=rules.extend_days)).astimezone(UTC)


def expiry(start: datetime, rules: PeriodRules) -> datetime:
    """When a tier collected in the period starting at ``start`` expires."""
    end = shifted(start, rules, (2 if rules.next_period_end else 1) + rules.delay)
    held = shifted(start, rules, rules.delay)
    return tier_rounding.rounded(extended(end, rules), rules.rounding, rules.zone, held)


def grant(
    now: datetime,
    rules: PeriodRules,
    tiers: list[dict[str, Any]],
    earned: Callable[[datetime, datetime], int],
) -> Grant | None:
    """The tier held at ``now``: of the periods whose grant has not expired, the highest tier
    their collected points reach (``earned(start, end)``); ties keep the latest expiry."""
    best: Grant | None = None
    start = period_start(now, rules)
    for back in range(LOOKBACK):
        begin = shifted(start, rules, -back)
        ends = expiry(begin, rules)
        if ends <= now:
            break
        if shifted(begin, rules, rules.delay) > now:
            continue
        tier = tier_for(earned(begin, shifted(begin, rules, 1)), tiers)
        if tier is not None and (best is None or tier["points_from"] > best.tier["points_from"]):
            best = Grant(tier, ends)
    return best


def next_instant(after: datetime, rules: PeriodRules) -> datetime:
    """The first instant after ``after`` at which some period's grant expires."""
    start = period_start(after, rules)
    for back in range(-2, LOOKBACK):
        candidate = expiry(shifted(start, rules, -back), rules)
        earlier = expiry(shifted(start, rules, -back - 1), rules)
        if candidate > after >= earlier:
            return min(candidate, _next_start(after, rules))
    return min(expiry(start, rules), _next_start(after, rules))


def _next_start(after: datetime, rules: PeriodRules) -> datetime:
    """When grants postponed to the next period start (far future for ``IMMEDIATE``)."""
    if rules.delay == 0:
        return datetime.max.replace(tzinfo=UTC)
    return shifted(period_start(after, rules), rules, 1)


def upcoming(
    now: datetime,
    rules: PeriodRules,
    tiers: list[dict[str, Any]],
    earned: Callable[[datetime, datetime], int],
) -> datetime | None:
    """For ``NEXT_PERIOD`` start: when the tier the current period's points reach starts
    (None when they reach none, or the start is immediate)."""
    if rules.delay == 0:
        return None
    begin = period_start(now, rules)
    if tier_for(earned(begin, shifted(begin, rules, 1)), tiers) is None:
        return None
    return shifted(begin, rules, rules.delay)


def custom_expiry(
    since: datetime, months: int, days: int, rounding: Rounding | None, zone: ZoneInfo
) -> datetime:
    """Balance tiers with ``CUSTOM`` expiration: ``months`` and ``days`` after ``since``
    (local calendar; short months clip), then rounded (:mod:`tier_rounding`)."""
    local = since.astimezone(zone)
    index = local.month - 1 + months
    moved = _local_month(local.year, index, zone)
    day = min(local.day, _month_days(moved, zone))
    clock = local.timetz().replace(tzinfo=None)
    ends = datetime.combine(moved.replace(day=day).date(), clock, tzinfo=zone)
    ends = (ends + timedelta(days=days)).astimezone(UTC)
    return tier_rounding.rounded(ends, rounding, zone, since)


def _month_days(first: datetime, zone: ZoneInfo) -> int:
    following = _local_month(first.year, first.month, zone)
    return (following.replace(tzinfo=None) - first.replace(tzinfo=None)).days
