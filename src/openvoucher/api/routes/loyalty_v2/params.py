"""Query parameters of v2 lists: ``limit``, ``order`` (one or several fields), ``cursor``,
``filters[…]``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from openvoucher.adapters.db.filters import FieldRef
from openvoucher.api.filters import filters_param
from openvoucher.api.params import int_param, invalid_query
from openvoucher.api.routing import ApiRequest
from openvoucher.kernel.filters import Filters
from openvoucher.loyalty.repositories.v2 import FILTER_FIELDS, Window
from openvoucher.loyalty.v2.components import KINDS, decode_cursor

ORDER_FIELDS = ("name", "type", "status", "created_at")


def _order(request: ApiRequest, allowed: tuple[str, ...]) -> tuple[str, ...]:
    given = request.query.getlist("order") or request.query.getlist("order[]")
    fields = tuple(given) or ("-created_at",)
    names = [f.lstrip("-") for f in fields]
    for field in fields:
        if field.lstrip("-") not in allowed:
            raise invalid_query(f"order must name one of: {', '.join(allowed)} (- for descending)")
    if len(set(names)) != len(names):
        raise invalid_query("order cannot name the same field twice")
    return fields


def window(request: ApiRequest, cursor_prefix: str, *, filtered: bool = True) -> Window:
    """The list request of a v2 list whose cursors start with ``cursor_prefix``."""
    return Window(
        order=_order(request, ORDER_FIELDS),
        offset=decode_cursor(cursor_prefix, request.query.get("cursor")),
        limit=int_param(request.query, "limit", 10, low=1, high=100),
        filters=filters_param(request.query, FILTER_FIELDS) if filtered else None,
    )


def activity_window(request: ApiRequest, kind: str) -> Window:
    """The list request of a kind's activities (``order``: ``created_at`` or ``-created_at``)."""
    order = _order(request, ("created_at",))
    return Window(
        order=order,
        offset=decode_cursor(KINDS[kind].activity_cursor, request.query.get("cursor")),
        limit=int_param(request.query, "limit", 10, low=1, high=100),
    )


def _day(request: ApiRequest, name: str) -> date:
    raw = request.query.get(name) or ""
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise invalid_query(f"'{name}' must be a date (YYYY-MM-DD)") from None


def report_window(request: ApiRequest) -> tuple[date, date, str]:
    """A report's ``start_date``, ``end_date`` and ``resolution`` (the use case checks the
    resolution and the range)."""
    return (
        _day(request, "start_date"),
        _day(request, "end_date"),
        request.query.get("resolution") or "",
    )


ID_OPS = frozenset({"$is", "$is_not", "$in", "$not_in"})


def id_filters(request: ApiRequest, fields: Mapping[str, FieldRef]) -> Filters:
    """``filters[…]`` naming ids of ``fields`` (``$is``, ``$is_not``, ``$in``, ``$not_in``;
    date fields their date conditions); anything else is 400."""
    found = filters_param(request.query, fields)
    for condition in found.conditions:
        if condition.kind == "string" and condition.op not in ID_OPS:
            raise invalid_query(f"filters[{condition.field}] takes {', '.join(sorted(ID_OPS))}")
    return found
