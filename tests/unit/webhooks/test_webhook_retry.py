"""The retry schedule: immediate first attempt, then the schedule, then give up."""

from __future__ import annotations

from openvoucher.config import DEFAULT_RETRY_SCHEDULE
from openvoucher.webhooks import retry


def test_default_schedule_is_voucherify_s() -> None:
    """Twelve retries: 1, 2, 4 … minutes, the last after 24 h."""
    minutes = [delay // 60 for delay in DEFAULT_RETRY_SCHEDULE]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1440]
    assert retry.total_attempts(DEFAULT_RETRY_SCHEDULE) == 13


def test_next_delay_walks_the_schedule_then_gives_up() -> None:
    """After n failed attempts the wait is schedule[n-1]; past the end there is none."""
    schedule = (1, 5, 30)
    assert [retry.next_delay(schedule, n) for n in range(5)] == [0, 1, 5, 30, None]


def test_only_2xx_is_success() -> None:
    """2xx delivers; redirects, errors and no answer do not."""
    assert [retry.is_success(c) for c in (200, 204, 299)] == [True, True, True]
    assert [retry.is_success(c) for c in (None, 199, 301, 404, 500)] == [False] * 5
