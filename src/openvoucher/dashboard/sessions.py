"""Dashboard sessions: a random id in a signed, HttpOnly, SameSite=Lax cookie; the session
itself (who signed in, with which key, the CSRF token) stays in this process's memory, so
signing out ends it for good (docs/adr/0030-dashboard-sessions.md)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

COOKIE = "ov_dashboard"
LIFETIME_SECONDS = 8 * 3600
"""A session ends eight hours after sign-in, whatever happens in between."""
MAX_SESSIONS = 10_000
"""Beyond this many live sessions the oldest are dropped (memory stays bounded)."""


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
    """Live sessions, and the signing of their cookies."""

    def __init__(self, secret: bytes | None = None, lifetime: float = LIFETIME_SECONDS) -> None:
        self._secret = secret or secrets.token_bytes(32)
        self._lifetime = lifetime
        self._lock = threading.Lock()
        self._live: dict[str, Session] = {}

    @property
    def lifetime(self) -> int:
        """Seconds a session lives (the cookie's Max-Age)."""
        return int(self._lifetime)

    def open(self, kind: str, key_id: str, project_id: str | None) -> Session:
        """Start a session for a verified key."""
        session = Session(
            session_id=secrets.token_urlsafe(24),
            kind=kind,
            key_id=key_id,
            project_id=project_id,
            csrf=secrets.token_urlsafe(24),
            expires_at=time.time() + self._lifetime,
        )
        with self._lock:
            self._prune()
            self._live[session.session_id] = session
        return session

    def close(self, session_id: str) -> None:
        """End a session (sign-out): its cookie is worthless from now on."""
        with self._lock:
            self._live.pop(session_id, None)

    def find(self, cookie: str | None) -> Session | None:
        """The live session a cookie names, when its signature holds and it has not expired."""
        session_id = self._unsign(cookie or "")
        if session_id is None:
            return None
        with self._lock:
            session = self._live.get(session_id)
            if session is not None and session.expires_at <= time.time():
                del self._live[session_id]
                return None
        return session

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

    def _prune(self) -> None:
        now = time.time()
        for session_id in [s for s, v in self._live.items() if v.expires_at <= now]:
            del self._live[session_id]
        while len(self._live) >= MAX_SESSIONS:
            del self._live[next(iter(self._live))]
