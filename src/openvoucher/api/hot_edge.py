"""Hot GETs answered straight from the ASGI scope (docs/adr/0012-hot-reads.md).

Through Starlette, a hot read still paid ~25 µs of edge per request against ~10 µs for the
hello-world: the middleware, the router's ``matches`` and child scope, the ``Request``, the
endpoint wrappers (exception handling per route, ``request_response``), header lookups.
:class:`HotEdge` sits in front of the app's whole stack (an unexpected exception renders the
500 the error middleware would, then propagates): for a ``GET`` whose first full match is a
route with a hot handler,
it builds the handler's ``ApiRequest`` from the scope, runs the hot handler and sends the
response itself. It picks the route as the router would (``IndexedRouter.candidates``, each
candidate's own regular expression, first full match wins) and hands everything else to
Starlette untouched: other methods, other routes, a ``root_path``, a body, keys that are not
cached yet, a hot handler that declines (then the regular path runs with the same request id).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from starlette.datastructures import Headers, QueryParams
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from openvoucher.api.auth import KEY_HEADERS, KeyCache, cached_principal
from openvoucher.api.errors import error_response, new_request_id
from openvoucher.api.limits import check_params
from openvoucher.api.observe import PROJECT
from openvoucher.api.routing import ApiRequest, Handler, RouteSpec
from openvoucher.kernel.errors import VoucherifyError

DECLINED = "openvoucher.hot_declined"
"""Scope key set when the hot handler declined: the request id the regular path then uses."""

NO_QUERY = QueryParams()
"""The query of a request without one (immutable, so shared; parsing even "" costs ~1.5 µs)."""

HOT_HEADERS = KEY_HEADERS | {b"content-length", b"transfer-encoding"}
"""The headers that decide whether a request can be served hot (raw names, as in the scope)."""

Render = Callable[[Any, int, str], Response]
Candidates = Callable[[str, str], list[BaseRoute]]


class HotRoute:
    """A route's hot handler with what it needs to build the handler's request."""

    def __init__(self, spec: RouteSpec, container: Any, keys: KeyCache, render: Render) -> None:
        assert spec.hot is not None
        self.handler: Handler = spec.hot
        self.auth = spec.auth
        self.status = spec.status
        self.container = container
        self.keys = keys
        self.render = render

    def answer(self, scope: Scope, path: dict[str, str]) -> Response | None:
        """The response, or None (the scope then carries the request id, see ``DECLINED``)."""
        request_id = new_request_id()
        try:
            request = self.request(scope, path, request_id)
            result = None if request is None else self.handler(request)
        except VoucherifyError as error:
            return error_response(error, request_id)
        if result is None:
            scope[DECLINED] = request_id
            return None
        return self.render(result, self.status, request_id)

    def request(self, scope: Scope, path: dict[str, str], request_id: str) -> ApiRequest | None:
        """The handler's request: cached keys (or no auth) and no body; else None."""
        picked = picked_headers(scope["headers"])
        if picked.get("content-length", "0") != "0" or "transfer-encoding" in picked:
            return None
        project_id = ""
        if self.auth != "none":
            principal = cached_principal(self.keys, picked, self.auth)
            if principal is None:
                return None
            project_id = principal.project_id or ""
            scope[PROJECT] = project_id
        query = scope["query_string"]
        params = QueryParams(query) if query else NO_QUERY
        check_params(path, params.multi_items() if query else ())
        return ApiRequest(
            container=self.container,
            project_id=project_id,
            path=path,
            query=params,
            headers=Headers(scope=scope),
            raw=b"",
            request_id=request_id,
        )


def picked_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """The headers a hot request is decided on, from the scope in one pass (five lookups in
    Starlette's ``Headers`` scan the list five times); the first of repeated ones wins, as
    there."""
    picked: dict[str, str] = {}
    for key, value in raw:
        if key in HOT_HEADERS:
            picked.setdefault(key.decode("latin-1"), value.decode("latin-1"))
    return picked


class HotEdge:
    """ASGI middleware answering hot GETs itself (see the module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        candidates: Candidates,
        hot: Mapping[int, HotRoute],
        unexpected: Callable[[Exception], Response],
    ) -> None:
        self.app = app
        self.candidates = candidates
        self.unexpected = unexpected
        """The 500 of an unexpected exception, as the app's error middleware renders it."""
        self.hot = dict(hot)
        """Hot routes by ``id()`` of their ``Route`` (routes compare by value, unhashable;
        the router keeps them alive)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and not scope.get("root_path"):
            try:
                response = self.answer(scope)
            except Exception as exc:
                # As Starlette's error middleware: the 500 body, then the exception goes on.
                await _send(self.unexpected(exc), send)
                raise
            if response is not None:
                await _send(response, send)
                return
        await self.app(scope, receive, send)

    def answer(self, scope: Scope) -> Response | None:
        """The hot response when the router's pick for this GET is a hot route; else None."""
        path: str = scope["path"]
        for route in self.candidates(path, "GET"):
            if type(route) is not Route or route.methods is None:
                return None  # not a plain route: the router decides
            match = _full_match(route, path)
            if match is not None:
                hot = self.hot.get(id(route))
                if hot is None:
                    return None
                scope["route"] = route  # the access edge's route template
                return hot.answer(scope, match.groupdict())
        return None


async def _send(response: Response, send: Send) -> None:
    """What ``Response.__call__`` sends for a body built in advance (no background task)."""
    start = {"type": "http.response.start", "status": response.status_code}
    start["headers"] = response.raw_headers
    await send(start)
    await send({"type": "http.response.body", "body": response.body})


def _full_match(route: Route, path: str) -> re.Match[str] | None:
    """The route's match for a GET of ``path`` (a path match of another method is partial:
    the router goes on looking, and so do we)."""
    assert route.methods is not None
    match = route.path_regex.match(path)
    return match if match is not None and "GET" in route.methods else None
