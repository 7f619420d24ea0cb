"""Authentication of API and management keys, with a small positive cache."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping

from starlette.datastructures import Headers

from openvoucher.kernel.errors import Unauthorized
from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.platform import oauth, projects
from openvoucher.platform.projects import Principal

_HEADERS = {
    "app": ("x-app-id", "x-app-token"),
    "management": ("x-management-id", "x-management-token"),
    "client": ("x-client-application-id", "x-client-token"),
}
"""Which key headers each route ``auth`` reads; the key's kind must equal the ``auth`` name."""

BEARER_SCOPES = ("app", "client")
"""Route kinds that also accept ``Authorization: Bearer <OAuth token>``."""


class KeyCache:
    """Remembers verified key pairs for a short while, so reads need no key lookup."""

    def __init__(self, uow: UnitOfWork, ttl_seconds: float = 30.0) -> None:
        self._uow = uow
        self._ttl = ttl_seconds
        self._lock = threading.Lock()
        self._known: dict[tuple[str, str], tuple[Principal, float]] = {}

    def lookup(self, key_id: str, token: str) -> Principal | None:
        """The principal for the pair, from cache or database."""
        cached = self.peek(key_id, token)
        if cached is not None:
            return cached
        principal = projects.authenticate(self._uow, key_id, token)
        if principal is not None:
            with self._lock:
                self._known[(key_id, token)] = (principal, time.monotonic() + self._ttl)
        return principal

    def peek(self, key_id: str, token: str) -> Principal | None:
        """The cached principal for the pair, without touching the database (None on a miss)."""
        with self._lock:
            hit = self._known.get((key_id, token))
        if hit is not None and hit[1] > time.monotonic():
            return hit[0]
        return None

    @property
    def uow(self) -> UnitOfWork:
        """The unit of work keys are looked up with."""
        return self._uow

    def forget(self) -> None:
        """Drop every cached pair (after keys change)."""
        with self._lock:
            self._known.clear()


KEY_HEADERS = frozenset(
    name.encode("latin-1") for pair in _HEADERS.values() for name in (*pair, "authorization")
)
"""Every header :func:`cached_principal` may read (raw, lower-case: as in an ASGI scope)."""


def cached_principal(cache: KeyCache, headers: Mapping[str, str], scope: str) -> Principal | None:
    """The principal when the request's keys are cached and fit ``scope``; else None.

    Cheap enough for the event loop; on None, call :func:`authenticate` (in the thread pool),
    which looks the pair up and raises the right 401.
    """
    if scope in BEARER_SCOPES and bearer_token(headers) is not None:
        return None
    id_header, token_header = _HEADERS[scope]
    key_id, token = headers.get(id_header), headers.get(token_header)
    if not key_id or not token:
        return None
    principal = cache.peek(key_id, token)
    if principal is None or principal.kind != scope:
        return None
    return principal


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, or None."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def authenticate(
    cache: KeyCache, headers: Headers, scope: str, path: str | None = None
) -> Principal:
    """Check the request's keys for ``scope`` (``app``, ``client`` or ``management``).

    On ``app`` and ``client`` routes an OAuth bearer token, when sent, is used instead of key
    headers; its scopes must cover ``path`` (without a path only the full-API scopes do).
    """
    token = bearer_token(headers)
    if scope in BEARER_SCOPES and token is not None:
        return oauth.authenticate(cache.uow, token, path)
    id_header, token_header = _HEADERS[scope]
    key_id, token = headers.get(id_header), headers.get(token_header)
    if not key_id or not token:
        raise Unauthorized(
            "Unauthorized",
            f"Missing {id_header} or {token_header} header",
        )
    principal = cache.lookup(key_id, token)
    if principal is None or principal.kind != scope:
        raise Unauthorized("Unauthorized", "Invalid credentials")
    return principal
