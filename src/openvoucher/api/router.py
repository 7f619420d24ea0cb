"""Starlette's router, trying only the routes a path's first two segments can match.

Starlette matches a request against every route in order, one regular expression each: with
~170 routes, finding ``GET /v1/vouchers/{code}`` took ~50 µs, as much as a whole hello-world
request. Routes are indexed by their first two path segments (``("v1", "vouchers")``); a
route with a parameter there (or anything but a plain ``Route``) is a candidate for every
path. Candidates keep the global order, so the first full match is the one Starlette would
pick. Everything else — 405 for a known path with another method, slash redirects, 404,
lifespan — is left to Starlette's own ``Router.app``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import Receive, Scope, Send

Key = tuple[str, ...]


def _key(path: str) -> Key:
    return tuple(path.strip("/").split("/")[:2])


def _route_key(route: BaseRoute) -> Key | None:
    """The static first two segments of a route's path; None when it may match any path."""
    if not isinstance(route, Route):
        return None
    key = _key(route.path)
    return None if any("{" in part for part in key) else key


def build_index(routes: Sequence[BaseRoute]) -> tuple[dict[Key, list[BaseRoute]], list[BaseRoute]]:
    """``key → candidate routes`` (global order kept), and the candidates of any other path."""
    keys = [_route_key(route) for route in routes]
    anywhere = [route for route, key in zip(routes, keys, strict=True) if key is None]
    index: dict[Key, list[BaseRoute]] = {}
    for key in {key for key in keys if key is not None}:
        index[key] = [r for r, k in zip(routes, keys, strict=True) if k is None or k == key]
    return index, anywhere


class IndexedRouter(Router):
    """A ``Router`` whose full matches come from the index (see the module docstring)."""

    def __init__(self, routes: Sequence[BaseRoute], **options: Any) -> None:
        super().__init__(routes=list(routes), **options)
        self._index, self._anywhere = build_index(self.routes)

    def candidates(self, path: str) -> list[BaseRoute]:
        """The routes that can match ``path``, in the router's order."""
        return self._index.get(_key(path), self._anywhere)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand the request to its first full match; otherwise Starlette decides."""
        if scope["type"] == "http":
            for route in self.candidates(get_route_path(scope)):
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope.setdefault("router", self)
                    scope["route"] = route
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
        await super().app(scope, receive, send)
