"""The clock abstraction the domain and services receive; implementations live in adapters."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime:
        """Return the current instant, timezone-aware, in UTC."""
        ...


def ensure_utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime (naive values are taken as UTC)."""
    if value.tzinfo is UTC:
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


@lru_cache(maxsize=4096)
def iso(value: datetime | None) -> str | None:
    """Format like Voucherify: ``2024-02-09T11:11:11.111Z`` (millisecond precision, Z).

    Cached: renders repeat the same instants (a batch's time, a programme's dates) many
    times; equal instants give equal text whatever their time zone."""
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = ensure_utc(value)
    # ``isoformat`` is the fastest formatter (bulk renders call this millions of times):
    # "YYYY-MM-DDTHH:MM:SS.ffffff+00:00", without the fraction when it is zero.
    text = value.isoformat()
    return text[:23] + "Z" if value.microsecond else text[:19] + ".000Z"


def parse_datetime(text: str) -> datetime:
    """Parse an ISO-8601 timestamp (``Z`` or offset; date-only means midnight UTC)."""
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    parsed = datetime.fromisoformat(raw)
    return ensure_utc(parsed)
