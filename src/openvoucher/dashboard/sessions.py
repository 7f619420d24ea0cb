"""Dashboard sessions: a random id and its HMAC in a signed, HttpOnly, SameSite=Strict cookie;
the session itself (who signed in, with which key, the CSRF token, its expiry) is a row in the
database, so every API process of ``serve --workers N`` finds it and signing out ends it for
all of them (docs/adr/0072-dashboard-sessions-in-the-database.md, after 0030)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from openvoucher.platform import dashboard_sessions

COOKIE = "ov_dashboard"
LIFETIME_SECONDS = 8 * 3600
"""A session ends eight hours after sign-in, whatever happens in between."""


@dataclass(frozen=True)
class Session:
    """Who is signed in: a management key (every project) or an app key (its project)."""

    session_id: str
    kind: str
    key_id: str
    project_id: str | None
    csrf: str
    expires_at: float

    def may_see(self, project_id: str) -> bool:
        """Whether this session may open ``project_id`` (an app key: only its own)."""
        return self.kind == "management" or project_id == self.project_id

    def csrf_ok(self, token: str | None) -> bool:
        """Whether a form's token is this session's."""
        return token is not None and hmac.compare_digest(token.encode(), self.csrf.encode())


class SessionStore:
    """Sessions in the database (through the platform's use cases), and the signing of their
    cookies. Methods touching the database are blocking: call them from the thread pool."""

    def __init__(
        self,
        uow: Any,
        secret: bytes | None = None,
        lifetime: float = LIFETIME_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._uow = uow
        self._secret = secret or secrets.token_bytes(32)
        self._lifetime = lifetime
        self._clock = clock

    @property
    def lifetime(self) -> int:
        """Seconds a session lives (the cookie's Max-Age)."""
        return max(1, int(self._lifetime))

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def open(self, kind: str, key_id: str, project_id: str | None) -> Session:
        """Start a session for a verified key."""
        now = self._now()
        expires = now + timedelta(seconds=self._lifetime)
        session = Session(
            session_id=secrets.token_urlsafe(24),
            kind=kind,
            key_id=key_id,
            project_id=project_id,
            csrf=secrets.token_urlsafe(24),
            expires_at=expires.timestamp(),
        )
        fields = {
            "kind": kind,
            "key_id": key_id,
            "project_id": project_id,
            "csrf": session.csrf,
            "expires_at": expires,
        }
        dashboard_sessions.open_session(self._uow, session.session_id, fields, now)
        return session

    def close(self, session_id: str) -> None:
        """End a session (sign-out): its cookie is worthless from now on, in every process."""
        dashboard_sessions.close_session(self._uow, session_id)

    def find(self, cookie: str | None) -> Session | None:
        """The live session a cookie names, when its signature holds and it has not expired."""
        session_id = self._unsign(cookie or "")
        if session_id is None:
            return None
        row = dashboard_sessions.find_session(self._uow, session_id, self._now())
        if row is None:
            return None
        return Session(
            session_id=session_id,
            kind=row["kind"],
            key_id=row["key_id"],
            project_id=row["project_id"],
            csrf=row["csrf"],
            expires_at=row["expires_at"].timestamp(),
        )

    def cookie(self, session: Session) -> str:
        """The cookie value: the session id and its HMAC."""
        return f"{session.session_id}.{self._mac(session.session_id)}"

    def _unsign(self, cookie: str) -> str | None:
        session_id, _, mac = cookie.rpartition(".")
        if not session_id or not hmac.compare_digest(mac.encode(), self._mac(session_id).encode()):
            return None
        return session_id

    def _mac(self, value: str) -> str:
        digest = hmac.new(self._secret, value.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")
