"""Authentication of API and management keys, with a small positive cache."""

from __future__ import annotations

import threading
import time

from starlette.datastructures import Headers

from openvoucher.domain.errors import Unauthorized
from openvoucher.services import projects
from openvoucher.services.projects import Principal
from openvoucher.services.unit_of_work import UnitOfWork

_HEADERS = {
    "app": ("x-app-id", "x-app-token"),
    "management": ("x-management-id", "x-management-token"),
}


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

    def forget(self) -> None:
        """Drop every cached pair (after keys change)."""
        with self._lock:
            self._known.clear()


def cached_principal(cache: KeyCache, headers: Headers, scope: str) -> Principal | None:
    """The principal when the request's keys are cached and fit ``scope``; else None.

    Cheap enough for the event loop; on None, call :func:`authenticate` (in the thread pool),
    which looks the pair up and raises the right 401.
    """
    id_header, token_header = _HEADERS[scope]
    key_id, token = headers.get(id_header), headers.get(token_header)
    if not key_id or not token:
        return None
    principal = cache.peek(key_id, token)
    wanted = "management" if scope == "management" else "app"
    if principal is None or principal.kind != wanted:
        return None
    return principal


def authenticate(cache: KeyCache, headers: Headers, scope: str) -> Principal:
    """Check the request's keys for ``scope`` (``app`` or ``management``)."""
    id_header, token_header = _HEADERS[scope]
    key_id, token = headers.get(id_header), headers.get(token_header)
    if not key_id or not token:
        raise Unauthorized(
            "Unauthorized",
            f"Missing {id_header} or {token_header} header",
        )
    principal = cache.lookup(key_id, token)
    wanted = "management" if scope == "management" else "app"
    if principal is None or principal.kind != wanted:
        raise Unauthorized("Unauthorized", "Invalid credentials")
    return principal
