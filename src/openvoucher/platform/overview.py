"""The dashboard overview of a project: counts and the series its charts draw, with days and
weeks in the project's time zone, ending today by the project's clock."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.platform.repositories import overview as repo

DAYS = 30
WEEKS = 12


def zone_of(name: str | None) -> ZoneInfo:
    """The project's time zone (UTC when unset or unknown)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def overview(uow: UnitOfWork, project_id: str, timezone: str | None) -> dict[str, Any]:
    """Counts, redemptions per day, gift credits outstanding, points per week, deliveries."""
    zone = zone_of(timezone)
    with uow.read(project_id) as tx:
        today = tx.now.astimezone(zone).date()
        offset = int((tx.now.astimezone(zone).utcoffset() or timedelta()).total_seconds())
        name = str(zone.key)
        since_days = _start_of(today - timedelta(days=DAYS - 1), zone)
        first_week = today - timedelta(days=today.weekday() + 7 * (WEEKS - 1))
        conn = tx.conn
        groups = repo.voucher_groups(conn, project_id)
        return {
            "counts": {**repo.counts(conn, project_id), "vouchers": sum(g[4] for g in groups)},
            "redemptions": redemptions_per_day(
                repo.daily_redemptions(conn, project_id, since_days, name, offset), today
            ),
            "gift": gift_outstanding(conn, project_id, groups),
            "points": points_per_week(
                repo.daily_points(conn, project_id, _start_of(first_week, zone), name, offset),
                first_week,
            ),
            "sendouts": dict(repo.sendout_statuses(conn, project_id, since_days)),
            "today": today.isoformat(),
            "timezone": name,
        }


GIFT_CAMPAIGNS_SHOWN = 8


def gift_outstanding(
    conn: Any, project_id: str, groups: list[tuple[str | None, str, bool, int, int]]
) -> list[tuple[str, int, int]]:
    """``(campaign name, credits left, cards)`` of active gift cards, largest first."""
    gift = [
        (c, left, n) for c, kind, active, left, n in groups if kind == "GIFT_VOUCHER" and active
    ]
    gift.sort(key=lambda group: -group[1])
    shown = gift[:GIFT_CAMPAIGNS_SHOWN]
    names = repo.campaign_names(conn, project_id, [c for c, _, _ in shown if c is not None])
    return [(names.get(c or "", "(no campaign)"), left, n) for c, left, n in shown]


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def redemptions_per_day(
    rows: list[tuple[str, str, int]], today: date
) -> list[tuple[str, int, int]]:
    """``(day, successes, failures)`` for each of the last :data:`DAYS` days, oldest first."""
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for day, result, count in rows:
        found[day][result] = found[day].get(result, 0) + count
    days = [(today - timedelta(days=n)).isoformat() for n in range(DAYS - 1, -1, -1)]
    return [(d, found[d].get("SUCCESS", 0), found[d].get("FAILURE", 0)) for d in days]


def points_per_week(
    rows: list[tuple[str, str, int]], first_week: date
) -> list[tuple[str, int, int, int]]:
    """``(week start, earned, spent, expired)`` for each of the last :data:`WEEKS` weeks."""
    weeks: dict[str, dict[str, int]] = {
        (first_week + timedelta(weeks=n)).isoformat(): {} for n in range(WEEKS)
    }
    for day, kind, points in rows:
        moment = date.fromisoformat(day)
        start = (moment - timedelta(days=moment.weekday())).isoformat()
        if start in weeks:
            weeks[start][kind] = weeks[start].get(kind, 0) + points
    return [
        (week, v.get("earned", 0), v.get("spent", 0), v.get("expired", 0))
        for week, v in weeks.items()
    ]
