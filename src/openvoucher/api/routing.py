"""A small route table: handlers are plain sync functions run in the thread pool.

A handler receives an :class:`ApiRequest` and returns a JSON-able value, a :class:`Reply`,
a Starlette ``Response`` or ``None`` (204).

A ``GET`` route may also have a *hot* handler (``Routes.hot``): it runs on the event loop, so
it must be lean and never wait (a hot read, see ``adapters.db.hot``). It returns the same as
the route's handler, or ``None`` when it cannot answer now; then the route's handler runs in
the thread pool as usual. It sees no request body.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec
from starlette.datastructures import FormData, Headers, QueryParams

from openvoucher.kernel.errors import InvalidPayload

T = TypeVar("T")


@dataclass
class Reply:
    """A body with an explicit status."""

    body: Any
    status: int = 200


@dataclass
class ApiRequest:
    """What a handler sees of the HTTP request."""

    container: Any
    project_id: str
    path: dict[str, str]
    query: QueryParams
    headers: Headers
    raw: bytes
    request_id: str
    form: FormData | None = None

    def json(self, kind: type[T]) -> T:
        """Decode the body into ``kind``; an empty body counts as ``{}``."""
        return decode_json(self.raw or b"{}", kind)

    @property
    def uow(self) -> Any:
        """The container's unit of work."""
        return self.container.uow


def decode_json(raw: bytes, kind: type[T]) -> T:
    """Decode and validate JSON, turning every failure into a 400 ``invalid_payload``."""
    try:
        return msgspec.json.decode(raw, type=kind, strict=True)
    except msgspec.ValidationError as exc:
        raise InvalidPayload("Invalid payload", _explain(str(exc))) from exc
    except msgspec.DecodeError as exc:
        raise InvalidPayload("Invalid payload", f"Malformed JSON: {exc}") from exc


def _explain(message: str) -> str:
    # msgspec says e.g. "Expected `int`, got `str` - at `$.amount`"; keep it, with a readable path.
    return message.replace("$.", "").replace("`$`", "the body")


Handler = Callable[[ApiRequest], Any]


@dataclass
class RouteSpec:
    """One method on one path."""

    method: str
    path: str
    handler: Handler
    auth: str = "app"
    status: int = 200
    max_body: int | None = None
    hot: Handler | None = None
    """Tried first, on the event loop (see the module docstring)."""


@dataclass
class Routes:
    """Collects the routes of one resource module."""

    items: list[RouteSpec] = field(default_factory=list)

    def route(
        self,
        method: str,
        path: str,
        *,
        auth: str = "app",
        status: int = 200,
        max_body: int | None = None,
    ) -> Callable[[Handler], Handler]:
        """Register ``handler`` for ``method path``."""

        def register(handler: Handler) -> Handler:
            self.items.append(RouteSpec(method, path, handler, auth, status, max_body))
            return handler

        return register

    def hot(self, path: str) -> Callable[[Handler], Handler]:
        """Register the hot handler of the ``GET path`` route registered before."""

        def register(handler: Handler) -> Handler:
            found = [s for s in self.items if s.method == "GET" and s.path == path]
            if not found:
                raise LookupError(f"no GET {path} route to add a hot handler to")
            found[0].hot = handler
            return handler

        return register

    def get(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        """Register a GET handler."""
        return self.route("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        """Register a POST handler."""
        return self.route("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        """Register a PUT handler."""
        return self.route("PUT", path, **kw)

    def delete(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        """Register a DELETE handler."""
        return self.route("DELETE", path, **kw)


def path_order(path: str) -> tuple[int, ...]:
    """Sort key putting static segments before parameters, so ``/import`` beats ``/{code}``."""
    return tuple(1 if part.startswith("{") else 0 for part in path.strip("/").split("/"))
