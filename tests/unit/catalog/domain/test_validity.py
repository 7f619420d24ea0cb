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
