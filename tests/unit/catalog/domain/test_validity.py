"""Validity windows: dates, weekdays, recurring timeframes and daily hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from openvoucher.catalog.domain.validity import (
    Validity,
    check_validity_settings,
    parse_duration,
    voucherify_weekday,
)

MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_weekday_numbering_starts_on_sunday() -> None:
    """Monday is 1 and Sunday is 0, as in Voucherify."""
    assert voucherify_weekday(MONDAY_NOON) == 1
    assert voucherify_weekday(MONDAY_NOON - timedelta(days=1)) == 0


def test_dates() -> None:
    """Before start is not active; after expiration is expired; between is fine."""
    validity = Validity(start_date=MONDAY_NOON, expiration_date=MONDAY_NOON + timedelta(days=1))
    assert validity.problem(MONDAY_NOON - timedelta(seconds=1)) == "voucher_not_active"
    assert validity.problem(MONDAY_NOON + timedelta(days=2)) == "voucher_expired"
    assert validity.problem(MONDAY_NOON) is None


def test_day_of_week() -> None:
    """Only listed weekdays are valid."""
    validity = Validity(day_of_week=(0, 6))
    assert validity.problem(MONDAY_NOON) == "voucher_not_active_now"
    assert validity.problem(MONDAY_NOON - timedelta(days=1)) is None


def test_recurring_timeframe() -> None:
    """A 1-hour window every 2 days from the start date."""
    validity = Validity(start_date=MONDAY_NOON, timeframe={"interval": "P2D", "duration": "PT1H"})
    assert validity.problem(MONDAY_NOON + timedelta(minutes=30)) is None
    assert validity.problem(MONDAY_NOON + timedelta(hours=2)) == "voucher_not_active_now"
    assert validity.problem(MONDAY_NOON + timedelta(days=2, minutes=59)) is None


def test_daily_hours() -> None:
    """Hours windows apply on their days only."""
    validity = Validity(
        hours={"daily": [{"start_time": "11:00", "expiration_time": "13:00", "days_of_week": [1]}]}
    )
    assert validity.problem(MONDAY_NOON) is None
    assert validity.problem(MONDAY_NOON + timedelta(hours=2)) == "voucher_not_active_now"
    assert validity.problem(MONDAY_NOON + timedelta(days=1)) == "voucher_not_active_now"


@pytest.mark.parametrize(("text", "seconds"), [("P1D", 86400), ("PT2H30M", 9000), ("P1W", 604800)])
def test_parse_duration(text: str, seconds: int) -> None:
    """ISO-8601 durations in days, weeks, hours and minutes."""
    assert parse_duration(text).total_seconds() == seconds


def test_malformed_settings_are_reported() -> None:
    """Bad durations, times and weekdays are explained, not raised."""
    assert check_validity_settings({"interval": "2 days", "duration": "PT1H"}, None, None)
    assert check_validity_settings(None, {"daily": [{"start_time": "25:00"}]}, None)
    assert check_validity_settings(None, None, [7])
    assert check_validity_settings({"interval": "P1D", "duration": "PT1H"}, None, [1]) is None


def test_day_of_week_in_the_project_time_zone() -> None:
    """optimize/time-limits.mdx: weekdays follow the project's time zone, so 23:30 UTC on a
    Monday is Tuesday in Tokyo and 00:30 UTC on a Tuesday is still Monday in New York."""
    monday_late = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)
    tuesday_early = datetime(2026, 1, 6, 0, 30, tzinfo=UTC)
    tuesdays_in_tokyo = Validity(day_of_week=(2,), zone="Asia/Tokyo")
    assert tuesdays_in_tokyo.problem(monday_late) is None
    assert Validity(day_of_week=(2,)).problem(monday_late) == "voucher_not_active_now"
    mondays_in_new_york = Validity(day_of_week=(1,), zone="America/New_York")
    assert mondays_in_new_york.problem(tuesday_early) is None
    assert Validity(day_of_week=(1,)).problem(tuesday_early) == "voucher_not_active_now"


def test_daily_hours_keep_local_time_across_dst() -> None:
    """optimize/time-limits.mdx: 09:00-10:00 in Warsaw is 08:00 UTC before the spring change
    (2026-03-29) and 07:00 UTC after it."""
    hours = {"daily": [{"start_time": "09:00", "expiration_time": "10:00", "days_of_week": []}]}
    warsaw = Validity(hours=hours, zone="Europe/Warsaw")
    assert warsaw.problem(datetime(2026, 3, 28, 8, 30, tzinfo=UTC)) is None
    assert warsaw.problem(datetime(2026, 3, 28, 7, 30, tzinfo=UTC)) == "voucher_not_active_now"
    assert warsaw.problem(datetime(2026, 3, 30, 7, 30, tzinfo=UTC)) is None
    assert warsaw.problem(datetime(2026, 3, 30, 8, 30, tzinfo=UTC)) == "voucher_not_active_now"


def test_daily_timeframe_keeps_local_hours_across_dst() -> None:
    """A 1-hour window every day from 09:00 Warsaw time stays at 09:00 local after the change."""
    start = datetime(2026, 3, 27, 8, 0, tzinfo=UTC)  # 09:00 CET
    frame = {"interval": "P1D", "duration": "PT1H"}
    warsaw = Validity(start_date=start, timeframe=frame, zone="Europe/Warsaw")
    assert warsaw.problem(datetime(2026, 3, 28, 8, 30, tzinfo=UTC)) is None
    assert warsaw.problem(datetime(2026, 3, 30, 7, 30, tzinfo=UTC)) is None  # 09:30 CEST
    assert warsaw.problem(datetime(2026, 3, 30, 8, 30, tzinfo=UTC)) == "voucher_not_active_now"


def test_timeframe_without_start_counts_from_local_midnight() -> None:
    """Without a start date the first window opens at the project's midnight (Tokyo: 15:00 UTC)."""
    frame = {"interval": "PT12H", "duration": "PT1H"}
    tokyo = Validity(timeframe=frame, zone="Asia/Tokyo")
    assert tokyo.problem(datetime(2026, 1, 5, 15, 30, tzinfo=UTC)) is None
    assert tokyo.problem(datetime(2026, 1, 6, 3, 30, tzinfo=UTC)) is None
    assert tokyo.problem(datetime(2026, 1, 6, 0, 30, tzinfo=UTC)) == "voucher_not_active_now"
