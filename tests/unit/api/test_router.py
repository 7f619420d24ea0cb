"""The indexed router picks, for every request, the route Starlette's own scan would pick."""

from __future__ import annotations

import itertools

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route

from openvoucher.api.router import IndexedRouter
from openvoucher.api.routes import all_routes
from openvoucher.api.routing import path_order

METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")


async def _nothing(_request: Request) -> Response:
    return Response()


def table(*, spanning: bool = True) -> list[BaseRoute]:
    """The API's routes in the app's order, and (``spanning``) a route with a parameter that
    spans segments."""
    specs = sorted(all_routes(), key=lambda s: path_order(s.path))
    routes: list[BaseRoute] = [Route(s.path, _nothing, methods=[s.method]) for s in specs]
    routes.append(Route("/health", _nothing, methods=["GET"]))
    if spanning:
        routes.append(Route("/v1/files/{rest:path}", _nothing, methods=["GET"]))
    return routes


def probes(routes: list[BaseRoute]) -> list[str]:
    """Paths filled from every route's template, with slash and segment variations."""
    paths = {"/", "/v1", "/v1/", "/nothing/here", "/v1/files/a/b/c", "//v1/vouchers/X"}
    for route in routes:
        assert isinstance(route, Route)
        path = route.path.replace("{rest:path}", "a/b")
        for name in route.param_convertors:
            path = path.replace("{" + name + "}", "v_abc")
        paths.update({path, path + "/", path + "/extra", path.rsplit("/", 1)[0]})
    return sorted(paths)


def starlette_pick(routes: list[BaseRoute], method: str, path: str) -> BaseRoute | None:
    """The first full match in order, as Starlette's ``Router`` finds it."""
    scope = {"type": "http", "method": method, "path": path, "root_path": ""}
    for route in routes:
        if route.matches(scope)[0] is Match.FULL:
            return route
    return None


def test_same_route_as_a_full_scan_for_every_probe() -> None:
    """Every method × path probe (~2 000) gets the same route (or none) through the index."""
    routes = table()
    router = IndexedRouter(routes)
    checked = 0
    for method, path in itertools.product(METHODS, probes(routes)):
        scope = {"type": "http", "method": method, "path": path, "root_path": ""}
        picked = next(
            (r for r in router.candidates(path, method) if r.matches(scope)[0] is Match.FULL),
            None,
        )
        assert picked is starlette_pick(routes, method, path), (method, path)
        checked += 1
    assert checked > 1500


def test_a_voucher_read_has_one_candidate() -> None:
    """``GET /v1/vouchers/{code}`` is the only candidate of a GET on a voucher path."""
    router = IndexedRouter(table(spanning=False))
    found = router.candidates("/v1/vouchers/ABC", "GET")
    assert [r.path for r in found if isinstance(r, Route)] == ["/v1/vouchers/{code}"]
