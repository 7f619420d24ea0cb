"""The project's time zone: local calendar reads and boundaries as UTC instants.

Docs: optimize/time-limits.mdx ("All time-related limits follow the time zone defined in your
Project settings") and build/loyalty-points.mdx (midnight in the project's time zone).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from openvoucher.kernel import project_time as pt

# 2026-03-29 01:00 UTC: Europe/Warsaw goes from +01:00 to +02:00 (02:00 local becomes 03:00).
# 2026-11-01 06:00 UTC: America/New_York goes from -04:00 to -05:00.


def test_unknown_zone_is_refused_and_empty_is_utc() -> None:
    """An unknown name raises UnknownTimeZone; None and "" mean UTC."""
    with pytest.raises(pt.UnknownTimeZone):
        pt.zone("Mars/Olympus")
    assert pt.zone(None) is UTC
    assert pt.zone("") is UTC
    assert pt.is_zone("Asia/Tokyo")
    assert not pt.is_zone("Nowhere")
    assert not pt.is_zone(5)


def test_local_reads_on_both_sides_of_midnight_utc() -> None:
    """Tokyo is already tomorrow and New York still yesterday around 00:00 UTC."""
    before = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)  # Monday 23:30 UTC
    after = datetime(2026, 1, 6, 0, 30, tzinfo=UTC)  # Tuesday 00:30 UTC
    assert pt.local_date(before, "Asia/Tokyo") == date(2026, 1, 6)
    assert pt.local_weekday(before, "Asia/Tokyo") == 2
    assert pt.local_time(before, "Asia/Tokyo") == time(8, 30)
    assert pt.local_date(after, "America/New_York") == date(2026, 1, 5)
    assert pt.local_weekday(after, "America/New_York") == 1
    assert pt.local_time(after, "America/New_York") == time(19, 30)
    assert pt.local_weekday(after, None) == 2


def test_day_boundaries_are_local_midnights() -> None:
    """The day, week (from Monday) and month start at local midnight, given in UTC."""
    moment = datetime(2026, 1, 6, 0, 30, tzinfo=UTC)
    assert pt.start_of_local_day(moment, "Asia/Tokyo") == datetime(2026, 1, 5, 15, tzinfo=UTC)
    assert pt.start_of_local_day(moment, "America/New_York") == datetime(2026, 1, 5, 5, tzinfo=UTC)
    assert pt.next_local_midnight(moment, "Asia/Tokyo") == datetime(2026, 1, 6, 15, tzinfo=UTC)
    assert pt.start_of_local_week(moment, "America/New_York") == datetime(2026, 1, 5, 5, tzinfo=UTC)
    assert pt.start_of_local_month(moment, "Asia/Tokyo") == datetime(2025, 12, 31, 15, tzinfo=UTC)
    assert pt.end_of_local_day(date(2026, 1, 5), "Asia/Tokyo") == datetime(
        2026, 1, 5, 14, 59, 59, 999000, tzinfo=UTC
    )


def test_days_across_daylight_saving_changes() -> None:
    """The spring-forward day in Warsaw is 23 hours long, the fall-back day in New York 25."""
    spring = datetime(2026, 3, 29, 12, tzinfo=UTC)
    start = pt.start_of_local_day(spring, "Europe/Warsaw")
    end = pt.next_local_midnight(spring, "Europe/Warsaw")
    assert start == datetime(2026, 3, 28, 23, tzinfo=UTC)
    assert end == datetime(2026, 3, 29, 22, tzinfo=UTC)
    assert (end - start).total_seconds() == 23 * 3600
    fall = datetime(2026, 11, 1, 12, tzinfo=UTC)
    start = pt.start_of_local_day(fall, "America/New_York")
    end = pt.next_local_midnight(fall, "America/New_York")
    assert (start, end) == (
        datetime(2026, 11, 1, 4, tzinfo=UTC),
        datetime(2026, 11, 2, 5, tzinfo=UTC),
    )


def test_to_utc_of_wall_clock_times() -> None:
    """A local wall-clock time maps to its instant; one skipped by DST lands after the gap."""
    assert pt.to_utc(datetime(2026, 7, 1, 9, 0), "Europe/Warsaw") == datetime(
        2026, 7, 1, 7, tzinfo=UTC
    )
    assert pt.to_utc(date(2026, 1, 1), "Europe/Warsaw") == datetime(2025, 12, 31, 23, tzinfo=UTC)
    skipped = pt.to_utc(datetime(2026, 3, 29, 2, 30), "Europe/Warsaw")
    assert skipped == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    aware = datetime(2026, 1, 1, 12, tzinfo=pt.zone("Asia/Tokyo"))
    assert pt.to_utc(aware, "Europe/Warsaw") == datetime(2026, 1, 1, 3, tzinfo=UTC)
