"""The ASGI application: Voucherify routes on Starlette; handlers in the thread pool, hot reads
on the event loop (docs/adr/0012-hot-reads.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import orjson
from anyio import to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.convertors import StringConvertor
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from openvoucher.api.auth import KeyCache, authenticate, cached_principal
from openvoucher.api.client_limits import ClientRateLimiter
from openvoucher.api.errors import JsonBody, error_response, new_request_id
from openvoucher.api.health import health_routes
from openvoucher.api.hot_edge import DECLINED, HotEdge, HotRoute
from openvoucher.api.limits import check_body, check_form, check_headers, check_params
from openvoucher.api.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from openvoucher.api.metrics import Metrics
from openvoucher.api.metrics import enabled as metrics_setting
from openvoucher.api.observe import PROJECT, Observed
from openvoucher.api.openapi import document as openapi_document
from openvoucher.api.router import IndexedRouter
from openvoucher.api.routes import all_routes
from openvoucher.api.routing import ApiRequest, Reply, RouteSpec, path_order
from openvoucher.bootstrap import Container
from openvoucher.config import Settings
from openvoucher.dashboard.app import dashboard_routes
from openvoucher.kernel.bounded import dumps
from openvoucher.kernel.encoded import EncodedJson
from openvoucher.kernel.errors import VoucherifyError

JSON = "application/json"

INLINE_CHECK_BYTES = 65_536
"""Bodies up to this size are checked against the input limits on the event loop (microseconds);
larger ones (imports, bulk jobs) in the thread pool."""

CLIENT_MAX_BODY = 65_536
"""Bytes of a client-side request body (a validation, redemption or event needs far less)."""

HANDLER_THREADS = 8
"""Thread-pool size for handlers (anyio's default is 40). Handlers are CPU-bound Python under
one GIL; fewer threads contend less: +10-20 % req/s on SQLite, about 2× on PostgreSQL, p99 much
lower (docs/performance.md)."""


def create_app(container: Container) -> Starlette:
    """Build the app for ``container``; background workers start with the app's lifespan."""
    keys = KeyCache(container.uow)
    limiter = ClientRateLimiter(container.settings.client_rate_limit)
    specs = sorted(all_routes(), key=lambda s: path_order(s.path))
    routes: list[BaseRoute] = []
    hot: dict[int, HotRoute] = {}
    for spec in specs:
        hot_route = _hot_route(spec, container, keys)
        route = Route(
            spec.path,
            _endpoint(spec, container, keys, hot_route, limiter),
            methods=[spec.method],
        )
        if hot_route is not None and _plain_params(route):
            hot[id(route)] = hot_route
        routes.append(route)
    routes.extend(health_routes(container))
    routes.append(Route("/openapi.json", _openapi_endpoint(specs), methods=["GET"]))
    metrics = Metrics(container.engine) if metrics_enabled(container.settings) else None
    if metrics is not None:
        routes.append(Route("/metrics", _metrics_endpoint(metrics), methods=["GET"]))
    routes.extend(dashboard_routes(container))
    # Full matches found through an index (api/router.py); hot GETs answered in front of it.
    lifespan = _lifespan(container)
    router = IndexedRouter(routes, lifespan=lifespan)
    app = _App(
        routes=routes,
        exception_handlers={HTTPException: _http_error, Exception: _unexpected},
        lifespan=lifespan,
    )
    app.router = router
    app.observed = lambda stack: Observed(stack, None if metrics is None else metrics.requests)
    if hot:  # SQLite: routes with hot handlers
        app.hot_edge = lambda stack: HotEdge(stack, router.candidates, hot, _internal_error)
    app.state.container = container
    app.state.keys = keys
    container.keys_revoked.append(keys.forget)
    return app


class _App(Starlette):
    """Starlette with the hot edge (``api/hot_edge.py``) in front of its whole middleware
    stack: a hot GET skips even the error middleware (the edge renders the same 500)."""

    hot_edge: Callable[[ASGIApp], ASGIApp] | None = None
    observed: Callable[[ASGIApp], ASGIApp] | None = None

    def build_middleware_stack(self) -> ASGIApp:
        """Starlette's stack, behind the hot edge when there is one, inside the access edge
        (``api/observe.py``)."""
        stack = super().build_middleware_stack()
        if self.hot_edge is not None:
            stack = self.hot_edge(stack)
        return stack if self.observed is None else self.observed(stack)


def _hot_route(spec: RouteSpec, container: Container, keys: KeyCache) -> HotRoute | None:
    """The route's hot handler, when it has one and the database can read hot."""
    if spec.hot is None or container.uow.hot is None:
        return None
    return HotRoute(spec, container, keys, _render)


def _plain_params(route: Route) -> bool:
    """Whether the route's parameters are plain strings (the edge takes them as matched)."""
    return all(type(c) is StringConvertor for c in route.param_convertors.values())


def _lifespan(container: Container) -> Callable[[Starlette], Any]:
    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = HANDLER_THREADS
        for worker in container.background:
            await worker.start()
        try:
            yield
        finally:
            for worker in reversed(container.background):
                await worker.stop()

    return lifespan


def metrics_enabled(settings: Settings) -> bool:
    """Whether ``/metrics`` is served (``OPENVOUCHER_METRICS``; loopback only by default)."""
    return metrics_setting(settings.metrics, settings.host)


def _openapi_endpoint(specs: list[RouteSpec]) -> Callable[[Request], Awaitable[Response]]:
    body = orjson.dumps(openapi_document(specs))

    async def endpoint(_request: Request) -> Response:
        return Response(body, media_type=JSON)

    return endpoint


def _metrics_endpoint(metrics: Metrics) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(_request: Request) -> Response:
        body = await run_in_threadpool(metrics.render)
        return Response(body, media_type=METRICS_CONTENT_TYPE)

    return endpoint


Endpoint = Callable[[Request], Awaitable[Response]]


def _endpoint(
    spec: RouteSpec,
    container: Container,
    keys: KeyCache,
    hot: HotRoute | None,
    limiter: ClientRateLimiter,
) -> Endpoint:
    limit = spec.max_body or container.settings.max_body_bytes
    if spec.auth == "client":
        limit = min(limit, CLIENT_MAX_BODY)

    async def regular(request: Request, request_id: str) -> Response:
        try:
            if spec.auth == "client":
                limiter.check(request.headers)
            api_request = await _prepare(request, spec, container, keys, request_id, limit)
            result = await run_in_threadpool(spec.handler, api_request)
            return _render(result, spec.status, request_id)
        except VoucherifyError as error:
            return _error(error, request_id)

    async def endpoint(request: Request) -> Response:
        return await regular(request, new_request_id())

    if hot is None:
        return endpoint

    async def hot_endpoint(request: Request) -> Response:
        """The hot handler on the event loop, unless the edge (``api/hot_edge.py``) tried it
        already; the regular path when it declines, with the request id it was given."""
        request_id = request.scope.get(DECLINED)
        if request_id is None:
            response = hot.answer(request.scope, dict(request.path_params))
            if response is not None:
                return response
            request_id = request.scope[DECLINED]
        return await regular(request, request_id)

    return hot_endpoint


async def _prepare(
    request: Request,
    spec: RouteSpec,
    container: Container,
    keys: KeyCache,
    request_id: str,
    limit: int,
) -> ApiRequest:
    check_headers(request.scope["headers"])
    check_params(request.path_params, request.query_params.multi_items())
    project_id = ""
    if spec.auth != "none":
        # A cached key pair is checked on the event loop; only a miss costs a thread-pool hop.
        principal = cached_principal(keys, request.headers, spec.auth)
        if principal is None:
            principal = await run_in_threadpool(
                authenticate, keys, request.headers, spec.auth, request.url.path
            )
        project_id = principal.project_id or ""
        request.scope[PROJECT] = project_id
    form = None
    raw = b""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        _check_declared_size(request, limit)
        form = await request.form(max_part_size=limit)
        try:
            await check_form(form)
        except VoucherifyError:
            await form.close()
            raise
    else:
        raw = await _read_body(request, limit)
        if len(raw) > INLINE_CHECK_BYTES:  # imports: scanned off the event loop
            await run_in_threadpool(check_body, raw)
        else:
            check_body(raw)
    return ApiRequest(
        container=container,
        project_id=project_id,
        path=dict(request.path_params),
        query=request.query_params,
        headers=request.headers,
        raw=raw,
        request_id=request_id,
        form=form,
    )


def _error(error: VoucherifyError, request_id: str) -> Response:
    response = error_response(error, request_id)
    if "retry_after" in error.extra:
        response.headers["retry-after"] = str(error.extra["retry_after"])
    return response


def _check_declared_size(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)


async def _read_body(request: Request, limit: int) -> bytes:
    _check_declared_size(request, limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> VoucherifyError:
    return VoucherifyError(
        "Request body too large",
        f"The body exceeds {limit} bytes",
        key="query_too_large",
        status=413,
    )


def _render(result: Any, status: int, request_id: str) -> Response:
    if type(result) is EncodedJson:
        return JsonBody(result.body, status, request_id)
    if isinstance(result, Response):
        return result
    if isinstance(result, Reply):
        status, result = result.status, result.body
    if result is None:
        return Response(status_code=204, headers={"x-request-id": request_id})
    return JsonBody(dumps(result), status, request_id)


async def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        error = VoucherifyError(
            "Resource not found", "No such endpoint", key="not_found", status=404
        )
    elif exc.status_code == 405:
        error = VoucherifyError(
            "HTTP Method Not Allowed",
            "This method is not supported by this endpoint",
            key="method_not_allowed",
            status=405,
        )
    else:
        error = VoucherifyError(str(exc.detail), key="http_error", status=exc.status_code)
    return error_response(error, new_request_id())


async def _unexpected(_request: Request, exc: Exception) -> Response:
    return _internal_error(exc)


def _internal_error(_exc: Exception) -> Response:
    """The 500 of an unexpected exception (logged once, by ``api/observe.py``)."""
    error = VoucherifyError(
        "Internal Server Error", "An unexpected error occurred", key="internal_error", status=500
    )
    return error_response(error, new_request_id())
