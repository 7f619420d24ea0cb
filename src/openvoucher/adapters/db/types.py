"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

JSONType = JSON().with_variant(JSONB(), "postgresql")


def utc_from_sqlite(value: str) -> datetime:
    """A :class:`UTCDateTime` value as SQLite stores it (text), read as SQLAlchemy reads the
    column (``fromisoformat``, then :meth:`UTCDateTime.process_result_value`) in one step.

    The naive text SQLAlchemy writes (``YYYY-MM-DD HH:MM:SS[.ffffff]``) is parsed with a UTC
    offset appended: the same value, several times cheaper than ``replace(tzinfo=UTC)``."""
    if _naive_text(value):
        return datetime.fromisoformat(value + "+00:00")
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _naive_text(value: str) -> bool:
    """Whether ``value`` has SQLAlchemy's SQLite layout, which leaves no room for an offset."""
    size = len(value)
    if size == 26:
        return value[19] == "."
    return size == 19 and value[13] == ":" and value[16] == ":"


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware UTC datetimes; SQLite keeps them naive, reads come back aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Normalise to UTC; SQLite gets a naive UTC value."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]
