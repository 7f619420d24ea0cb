"""The outermost ASGI layer: one access log line and the request metrics per request, the
``X-Openvoucher-Version`` header, and unexpected errors logged once.

It wraps everything, the hot edge included (``api/hot_edge.py``), so hot GETs are logged and
counted too. The route template comes from ``scope["route"]`` (set by the router and the hot
edge), the project from ``scope[PROJECT]`` (set once the keys are checked), the request id
from the response's ``x-request-id`` header — the one the client got. An exception that
escapes the app has already been answered with a 500 (Starlette's error middleware, or the
hot edge); it is logged here, once, with that request id and its traceback, and goes no
further (uvicorn would log it a second time, without the id).
"""

from __future__ import annotations

import logging
from time import perf_counter
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from openvoucher import __version__
from openvoucher.api.metrics import RequestMetrics

PROJECT = "openvoucher.project"
"""Scope key: the id of the project whose keys authenticated the request."""

UNMATCHED = "<unmatched>"
"""The route label of a request no route matched (keeps the label set small)."""

VERSION_HEADER = (b"x-openvoucher-version", __version__.encode("latin-1"))

access = logging.getLogger("openvoucher.access")
FIELDS = {"fields": None}
errors = logging.getLogger("openvoucher.api")


class Observed:
    """ASGI middleware: see the module docstring."""

    def __init__(self, app: ASGIApp, metrics: RequestMetrics | None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        seen: list[Any] = [500, ""]  # status, request id

        async def observed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers") or []
                seen[0] = message["status"]
                seen[1] = _request_id(headers)
                message["headers"] = [*headers, VERSION_HEADER]
            await send(message)

        try:
            await self.app(scope, receive, observed)
        except Exception as exc:
            errors.error(
                "unexpected error",
                exc_info=exc,
                extra={"fields": {"request_id": seen[1], **_where(scope)}},
            )
        self._record(scope, seen[0], seen[1], perf_counter() - started)

    def _record(self, scope: Scope, status: int, request_id: str, seconds: float) -> None:
        route = scope.get("route")
        template: str = getattr(route, "path", None) or UNMATCHED
        if self.metrics is not None:
            self.metrics.observe(scope["method"], template, status, seconds)
        if access.isEnabledFor(logging.INFO):
            fields = {
                "method": scope["method"],
                "route": template,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
                "request_id": request_id,
                "project_id": scope.get(PROJECT, ""),
            }
            # ``Logger.info`` would first walk the stack for the caller (``findCaller``): a
            # quarter of the cost of a line, for a location that is always this one.
            record = access.makeRecord(
                access.name, logging.INFO, __file__, 0, "request", (), None, extra=FIELDS
            )
            record.fields = fields
            access.handle(record)


def _request_id(headers: Any) -> str:
    for key, value in headers:
        if key == b"x-request-id":
            return str(value.decode("latin-1"))
    return ""


def _where(scope: Scope) -> dict[str, str]:
    route = scope.get("route")
    return {
        "method": scope["method"],
        "route": getattr(route, "path", None) or UNMATCHED,
        "project_id": scope.get(PROJECT, ""),
    }
