"""The ASGI application: Voucherify routes on Starlette; handlers in the thread pool, hot reads
on the event loop (docs/adr/0012-hot-reads.md)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import orjson
from anyio import to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from openvoucher.api.auth import KEY_HEADERS, KeyCache, authenticate, cached_principal
from openvoucher.api.errors import JsonBody, error_response, new_request_id
from openvoucher.api.router import IndexedRouter
from openvoucher.api.routes import all_routes
from openvoucher.api.routing import ApiRequest, Reply, RouteSpec, path_order
from openvoucher.bootstrap import Container
from openvoucher.domain.errors import VoucherifyError

log = logging.getLogger("openvoucher.api")

JSON = "application/json"

NO_QUERY = QueryParams()
"""The query of a request without one (immutable, so shared; parsing even "" costs ~1.5 µs)."""

HOT_HEADERS = KEY_HEADERS | {b"content-length", b"transfer-encoding"}
"""The headers that decide whether a request can be served hot (raw names, as in the scope)."""

HANDLER_THREADS = 8
"""Thread-pool size for handlers (anyio's default is 40). Handlers are CPU-bound Python under
one GIL; fewer threads contend less: +10-20 % req/s on SQLite, about 2× on PostgreSQL, p99 much
lower (docs/performance.md)."""


def create_app(container: Container) -> Starlette:
    """Build the app for ``container``; background workers start with the app's lifespan."""
    keys = KeyCache(container.uow)
    specs = sorted(all_routes(), key=lambda s: path_order(s.path))
    routes = [Route(s.path, _endpoint(s, container, keys), methods=[s.method]) for s in specs]
    routes.append(Route("/health", _health, methods=["GET"]))
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: _http_error, Exception: _unexpected},
        lifespan=_lifespan(container),
    )
    # Same routes and lifespan; full matches found through an index (api/router.py).
    app.router = IndexedRouter(app.router.routes, lifespan=app.router.lifespan_context)
    app.state.container = container
    app.state.keys = keys
    container.keys_revoked.append(keys.forget)
    return app


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


async def _health(_request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type=JSON)


Endpoint = Callable[[Request], Awaitable[Response]]
Regular = Callable[[Request, str], Awaitable[Response]]


def _endpoint(spec: RouteSpec, container: Container, keys: KeyCache) -> Endpoint:
    limit = spec.max_body or container.settings.max_body_bytes

    async def regular(request: Request, request_id: str) -> Response:
        try:
            api_request = await _prepare(request, spec, container, keys, request_id, limit)
            result = await run_in_threadpool(spec.handler, api_request)
            return _render(result, spec.status, request_id)
        except VoucherifyError as error:
            return error_response(error, request_id)

    async def endpoint(request: Request) -> Response:
        return await regular(request, new_request_id())

    if spec.hot is None or container.uow.hot is None:
        return endpoint
    return _hot_endpoint(spec, container, keys, regular)


def _hot_endpoint(
    spec: RouteSpec, container: Container, keys: KeyCache, regular: Regular
) -> Endpoint:
    """Try the route's hot handler on the event loop; the regular path (thread pool) runs when
    the keys are not cached yet, the request has a body, or the hot handler declines."""
    hot = spec.hot
    assert hot is not None

    async def endpoint(request: Request) -> Response:
        request_id = new_request_id()
        try:
            api_request = _hot_request(request, spec, container, keys, request_id)
            result = None if api_request is None else hot(api_request)
        except VoucherifyError as error:
            return error_response(error, request_id)
        if result is None:
            return await regular(request, request_id)
        return _render(result, spec.status, request_id)

    return endpoint


def _hot_request(
    request: Request, spec: RouteSpec, container: Container, keys: KeyCache, request_id: str
) -> ApiRequest | None:
    """The handler's request when it can be served on the event loop: cached keys (or no
    auth) and no body to read; else None."""
    picked = _picked_headers(request.scope["headers"])
    if picked.get("content-length", "0") != "0" or "transfer-encoding" in picked:
        return None
    project_id = ""
    if spec.auth != "none":
        principal = cached_principal(keys, picked, spec.auth)
        if principal is None:
            return None
        project_id = principal.project_id or ""
    return ApiRequest(
        container=container,
        project_id=project_id,
        path=dict(request.path_params),
        query=request.query_params if request.scope["query_string"] else NO_QUERY,
        headers=request.headers,
        raw=b"",
        request_id=request_id,
    )


async def _prepare(
    request: Request,
    spec: RouteSpec,
    container: Container,
    keys: KeyCache,
    request_id: str,
    limit: int,
) -> ApiRequest:
    project_id = ""
    if spec.auth != "none":
        # A cached key pair is checked on the event loop; only a miss costs a thread-pool hop.
        principal = cached_principal(keys, request.headers, spec.auth)
        if principal is None:
            principal = await run_in_threadpool(
                authenticate, keys, request.headers, spec.auth, request.url.path
            )
        project_id = principal.project_id or ""
    form = None
    raw = b""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        _check_declared_size(request, limit)
        form = await request.form(max_part_size=limit)
    else:
        raw = await _read_body(request, limit)
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


def _picked_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """The headers a hot request is decided on, from the scope in one pass (five lookups in
    Starlette's ``Headers`` scan the list five times); the first of repeated ones wins, as
    there."""
    picked: dict[str, str] = {}
    for key, value in raw:
        if key in HOT_HEADERS:
            picked.setdefault(key.decode("latin-1"), value.decode("latin-1"))
    return picked


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
    if isinstance(result, Response):
        return result
    if isinstance(result, Reply):
        status, result = result.status, result.body
    if result is None:
        return Response(status_code=204, headers={"x-request-id": request_id})
    return JsonBody(orjson.dumps(result), status, request_id)


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
    log.exception("unexpected error", exc_info=exc)
    error = VoucherifyError(
        "Internal Server Error", "An unexpected error occurred", key="internal_error", status=500
    )
    return error_response(error, new_request_id())
