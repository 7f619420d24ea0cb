"""Query-string parsing shared by list endpoints: paging, ordering, dates, booleans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from starlette.datastructures import QueryParams

from openvoucher.kernel.clock import parse_datetime
from openvoucher.kernel.errors import VoucherifyError


def invalid_query(details: str) -> VoucherifyError:
    """A 400 ``invalid_query_params`` error."""
    return VoucherifyError("Invalid query params", details, key="invalid_query_params")


def int_param(query: QueryParams, name: str, default: int, *, low: int, high: int) -> int:
    """An integer parameter within ``[low, high]``."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_query(f"'{name}' must be an integer") from None
    if not low <= value <= high:
        raise invalid_query(f"'{name}' must be between {low} and {high}")
    return value


def choice_param(query: QueryParams, name: str, allowed: set[str], default: str) -> str:
    """One of ``allowed``."""
    raw = query.get(name) or default
    if raw not in allowed:
        raise invalid_query(f"'{name}' must be one of: {', '.join(sorted(allowed))}")
    return raw


def date_param(query: QueryParams, name: str) -> datetime | None:
    """An ISO-8601 timestamp parameter, or None."""
    raw = query.get(name)
    if not raw:
        return None
    try:
        return parse_datetime(raw)
    except ValueError:
        raise invalid_query(f"'{name}' must be an ISO-8601 date-time") from None


def bool_param(query: QueryParams, name: str, default: bool = False) -> bool:
    """A ``true``/``false`` parameter."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"true", "1"}:
        return True
    if raw.lower() in {"false", "0"}:
        return False
    raise invalid_query(f"'{name}' must be true or false")


@dataclass(frozen=True)
class Page:
    """A ``limit``/``page`` window."""

    limit: int
    page: int

    @property
    def offset(self) -> int:
        """Rows to skip."""
        return (self.page - 1) * self.limit


def page_params(query: QueryParams, *, default_limit: int = 10, max_page: int = 1000) -> Page:
    """``limit`` (1–100) and ``page`` (1–max_page)."""
    return Page(
        limit=int_param(query, "limit", default_limit, low=1, high=100),
        page=int_param(query, "page", 1, low=1, high=max_page),
    )
