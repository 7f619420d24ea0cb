"""The retry policy as data: the delay before each retry, and what counts as delivered."""

from __future__ import annotations

from collections.abc import Sequence


def next_delay(schedule: Sequence[int], attempts_made: int) -> int | None:
    """Seconds to wait before the next attempt after ``attempts_made`` failed ones.

    The first attempt is immediate; retry ``n`` waits ``schedule[n - 1]``. ``None`` means the
    schedule is exhausted: the sendout has failed for good.
    """
    if attempts_made < 1:
        return 0
    index = attempts_made - 1
    return schedule[index] if index < len(schedule) else None


def total_attempts(schedule: Sequence[int]) -> int:
    """The first attempt plus one per scheduled retry."""
    return 1 + len(schedule)


def is_success(status_code: int | None) -> bool:
    """A 2xx answer is a delivery; anything else (or no answer) is a failure."""
    return status_code is not None and 200 <= status_code < 300
