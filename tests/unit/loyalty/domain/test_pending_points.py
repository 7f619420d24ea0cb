"""Pending points rules: the earning rule setting, activation moments and adjustments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from openvoucher.kernel.errors import InvalidPayload
from openvoucher.loyalty.domain import pending_points


def test_setting_is_normalised() -> None:
    """A valid setting is stored with its period type (DAY when left out)."""
    assert pending_points.check_setting({"period_value": 7}, "order.paid") == {
        "period_type": "DAY",
        "period_value": 7,
    }
    assert pending_points.check_setting(None, "customer.loyalty.tier.joined") is None


@pytest.mark.parametrize(
    ("raw", "event", "fragment"),
    [
        ({"period_type": "DAY", "period_value": 0}, "order.paid", "1 to 90"),
        ({"period_type": "DAY", "period_value": 91}, "order.paid", "1 to 90"),
        ({"period_type": "DAY", "period_value": True}, "order.paid", "1 to 90"),
        ({"period_type": "DAY", "period_value": 2.5}, "order.paid", "1 to 90"),
        ({"period_type": "MONTH", "period_value": 2}, "order.paid", "must be DAY"),
        ({"period_value": 2, "rounding": 1}, "order.paid", "unknown fields: rounding"),
        ({"period_value": 2}, "visit", "only with the order.paid event"),
        ("3 days", "order.paid", "must be an object"),
    ],
)
def test_bad_settings_are_refused(raw: Any, event: str, fragment: str) -> None:
    """Out-of-range, mistyped or misplaced settings are 400 with a reason."""
    with pytest.raises(InvalidPayload) as caught:
        pending_points.check_setting(raw, event)
    assert fragment in caught.value.details


def test_activation_is_midnight_utc_days_later() -> None:
    """Points earned late on a day (in any offset) activate at 00:00 UTC N days after the
    UTC day they were earned."""
    setting = {"period_type": "DAY", "period_value": 3}
    earned = datetime(2025, 1, 31, 23, 59, tzinfo=UTC)
    assert pending_points.activation_moment(earned, setting) == datetime(2025, 2, 3, tzinfo=UTC)
    east = datetime(2025, 2, 1, 0, 30, tzinfo=timezone(timedelta(hours=2)))
    assert pending_points.activation_moment(east, setting) == datetime(2025, 2, 3, tzinfo=UTC)


def test_adjustments_keep_at_least_one_point() -> None:
    """Adding or subtracting works down to one point; zero, non-integers or more are refused."""
    assert pending_points.check_adjustment(100, 20) == 120
    assert pending_points.check_adjustment(100, -99) == 1
    for change in (0, -100, -150, True, 1.5, None):
        with pytest.raises(InvalidPayload):
            pending_points.check_adjustment(100, change)
