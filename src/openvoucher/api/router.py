"""Starlette's router, trying only the routes that can fully match a request.

Starlette matches a request against every route in order, one regular expression each: with
~170 routes, finding ``GET /v1/vouchers/{code}`` took ~50 µs, as much as a whole hello-world
request. Routes are indexed by their first two path segments, their number of segments and
their methods (``("v1", "vouchers", 3, "GET")``): a parameter matches exactly one segment, so
a path can only fully match routes with its own first segments and segment count. A route
with a parameter in its first two segments, a parameter that may span segments, or anything
but a plain ``Route`` is a candidate for every path. Candidates keep the global order, so the
first full match is the one Starlette would pick. Everything else — 405 for a known path with
another method, slash redirects, 404, lifespan — is left to Starlette's own ``Router.app``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette._utils import get_route_path
from starlette.convertors import StringConvertor
from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import Receive, Scope, Send

Key = tuple[str, str, int, str]
"""First two segments, number of segments, method."""


def _shape(path: str) -> tuple[str, str, int]:
    parts = path.strip("/").split("/")
    return parts[0], parts[1] if len(parts) > 1 else "", len(parts)


def _route_keys(route: BaseRoute) -> list[Key] | None:
    """The keys of the requests ``route`` can fully match; None when it may match any path."""
    if not isinstance(route, Route) or route.methods is None:
        return None
    if any(type(c) is not StringConvertor for c in route.param_convertors.values()):
        return None  # e.g. ``{name:path}`` may span several segments
    first, second, count = _shape(route.path)
    if "{" in first or "{" in second:
        return None
    return [(first, second, count, method) for method in route.methods]


def build_index(routes: Sequence[BaseRoute]) -> tuple[dict[Key, list[BaseRoute]], list[BaseRoute]]:
    """``key → candidate routes`` (global order kept), and the candidates of any other request."""
    keys = [_route_keys(route) for route in routes]
    anywhere = [route for route, found in zip(routes, keys, strict=True) if found is None]
    index: dict[Key, list[BaseRoute]] = {}
    for key in {key for found in keys if found is not None for key in found}:
        index[key] = [
            route
            for route, found in zip(routes, keys, strict=True)
            if found is None or key in found
        ]
    return index, anywhere


class IndexedRouter(Router):
    """A ``Router`` whose full matches come from the index (see the module docstring)."""

    def __init__(self, routes: Sequence[BaseRoute], **options: Any) -> None:
        super().__init__(routes=list(routes), **options)
        self._index, self._anywhere = build_index(self.routes)

    def candidates(self, path: str, method: str) -> list[BaseRoute]:
        """The routes that can fully match ``method path``, in the router's order."""
        return self._index.get((*_shape(path), method), self._anywhere)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand the request to its first full match; otherwise Starlette decides."""
        if scope["type"] == "http":
            for route in self.candidates(get_route_path(scope), scope["method"]):
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope.setdefault("router", self)
                    scope["route"] = route
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
        await super().app(scope, receive, send)
