"""The project's time zone: turning stored UTC instants into the project's local calendar.

Voucherify judges every time-related rule in the time zone of the project (Project settings →
Time zone): validity windows, days of week, daily hours, per-day limits, "valid after
publishing" and the midnight jobs (points expiry, pending points activation). Instants are
stored and passed around as aware UTC datetimes; this module is the one place that turns them
into local wall-clock time and back. Pure: no clock, no database.

- :func:`zone` resolves an IANA name (``Europe/Warsaw``), falling back to UTC for None/"".
- :func:`local`, :func:`local_date`, :func:`local_time`, :func:`local_weekday` read an instant
  on the project's calendar.
- :func:`start_of_local_day`, :func:`start_of_local_week`, :func:`start_of_local_month` and
  :func:`next_local_midnight` give period boundaries as UTC instants (for counting windows,
  expiry dates and period ends).
- :func:`to_utc` turns a local wall-clock time (naive, or a date) into the UTC instant.

Daylight-saving changes: a local day may be 23 or 25 hours long; boundaries are computed on the
calendar, never by adding 24 hours. A wall-clock time that does not exist (spring forward) is
read with ``fold=0`` and lands after the gap; an ambiguous one (fall back) means its first
occurrence. Everything here works with the ``tzdata`` package where the OS has no zone files.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "UTC"


class UnknownTimeZone(ValueError):
    """The name is not an IANA time zone."""


@lru_cache(maxsize=256)
def zone(name: str | None) -> tzinfo:
    """The ``tzinfo`` of an IANA zone name; UTC for None or ""; :class:`UnknownTimeZone`
    when the name is not a zone."""
    if not name or name in {"UTC", "Etc/UTC", "Z"}:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownTimeZone(f"unknown time zone {name!r}") from exc


def is_zone(name: object) -> bool:
    """Whether ``name`` is a time zone name :func:`zone` accepts."""
    if not isinstance(name, str):
        return False
    try:
        zone(name)
    except UnknownTimeZone:
        return False
    return True


def local(moment: datetime, tz_name: str | None) -> datetime:
    """``moment`` (aware) as the project's local wall-clock time (aware, in the zone)."""
    return moment.astimezone(zone(tz_name))


def local_date(moment: datetime, tz_name: str | None) -> date:
    """The project's calendar day at ``moment``."""
    return local(moment, tz_name).date()


def local_time(moment: datetime, tz_name: str | None) -> time:
    """The project's wall-clock time of day at ``moment`` (naive ``time``)."""
    return local(moment, tz_name).time()


def local_weekday(moment: datetime, tz_name: str | None) -> int:
    """The project's weekday at ``moment`` as Voucherify numbers them: 0 = Sunday … 6 = Saturday."""
    return (local(moment, tz_name).weekday() + 1) % 7


def to_utc(wall: datetime | date, tz_name: str | None) -> datetime:
    """The UTC instant of a local wall-clock time (a naive datetime, or a date = its midnight).

    An aware datetime is only converted to UTC."""
    if not isinstance(wall, datetime):
        wall = datetime.combine(wall, time())
    if wall.tzinfo is None:
        wall = wall.replace(tzinfo=zone(tz_name))
    return wall.astimezone(UTC)


def start_of_local_day(moment: datetime, tz_name: str | None) -> datetime:
    """The UTC instant at which the project's day containing ``moment`` began."""
    return to_utc(local_date(moment, tz_name), tz_name)


def next_local_midnight(moment: datetime, tz_name: str | None) -> datetime:
    """The UTC instant of the first local midnight after ``moment``."""
    return to_utc(local_date(moment, tz_name) + timedelta(days=1), tz_name)


def start_of_local_week(moment: datetime, tz_name: str | None) -> datetime:
    """The UTC instant at which the project's week (Monday first) containing ``moment`` began."""
    day = local_date(moment, tz_name)
    return to_utc(day - timedelta(days=day.weekday()), tz_name)


def start_of_local_month(moment: datetime, tz_name: str | None) -> datetime:
    """The UTC instant at which the project's calendar month containing ``moment`` began."""
    return to_utc(local_date(moment, tz_name).replace(day=1), tz_name)


def end_of_local_day(day: date, tz_name: str | None) -> datetime:
    """The last instant (UTC, to the millisecond) of the project's calendar ``day``."""
    return to_utc(day + timedelta(days=1), tz_name) - timedelta(milliseconds=1)
