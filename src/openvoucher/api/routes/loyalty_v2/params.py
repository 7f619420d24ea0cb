"""Query parameters of v2 lists: ``limit``, ``order`` (one or several fields), ``cursor``,
``filters[…]``."""

from __future__ import annotations

from openvoucher.api.filters import filters_param
from openvoucher.api.params import int_param, invalid_query
from openvoucher.api.routing import ApiRequest
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
