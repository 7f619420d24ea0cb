"""Dashboard sessions: signed cookies naming rows in the database, expiry, sign-out, CSRF
tokens, and the same session seen by a second store (another API process)."""

from __future__ import annotations

from openvoucher.dashboard.sessions import SessionStore
from tests.support.server import MANAGEMENT_ID, Project, RunningServer


def _store(server: RunningServer, secret: bytes = b"k" * 32, **options: object) -> SessionStore:
    return SessionStore(server.container.uow, secret, **options)  # type: ignore[arg-type]


def test_cookie_names_the_live_session(server: RunningServer, project: Project) -> None:
    """A session's cookie finds it again."""
    store = _store(server)
    session = store.open("app", project.app_id, project.id)
    assert store.find(store.cookie(session)) == session


def test_another_process_finds_the_session(server: RunningServer, project: Project) -> None:
    """A second store with the same secret (another API process) finds the session, and a
    sign-out through one ends it for the other."""
    first, second = _store(server), _store(server)
    session = first.open("app", project.app_id, project.id)
    cookie = first.cookie(session)
    assert second.find(cookie) == session
    second.close(session.session_id)
    assert first.find(cookie) is None


def test_tampered_or_foreign_cookies_find_nothing(server: RunningServer, project: Project) -> None:
    """A changed id, a changed signature or another server's key find no session."""
    store = _store(server)
    cookie = store.cookie(store.open("app", project.app_id, project.id))
    session_id, _, mac = cookie.rpartition(".")
    assert store.find(session_id + "x." + mac) is None
    other = "B" if mac.endswith("A") else "A"
    assert store.find(session_id + "." + mac[:-1] + other) is None
    assert store.find(session_id) is None
    assert store.find("") is None
    assert _store(server, b"z" * 32).find(cookie) is None


def test_sessions_expire(server: RunningServer, project: Project) -> None:
    """A session past its lifetime is gone."""
    now = [1_900_000_000.0]
    store = _store(server, lifetime=60, clock=lambda: now[0])
    cookie = store.cookie(store.open("app", project.app_id, project.id))
    assert store.find(cookie) is not None
    now[0] += 61
    assert store.find(cookie) is None


def test_closed_sessions_stay_closed(server: RunningServer, project: Project) -> None:
    """Signing out makes the cookie worthless."""
    store = _store(server)
    session = store.open("app", project.app_id, project.id)
    store.close(session.session_id)
    assert store.find(store.cookie(session)) is None


def test_only_a_digest_of_the_session_id_is_stored(server: RunningServer, project: Project) -> None:
    """The database holds the id's SHA-256 digest, never the id the cookie carries."""
    from sqlalchemy import select

    from openvoucher.adapters.db.schema.auth import dashboard_sessions

    store = _store(server)
    session = store.open("app", project.app_id, project.id)
    with server.container.engine.connect() as conn:
        hashes = conn.execute(select(dashboard_sessions.c.token_hash)).scalars().all()
    assert session.session_id not in hashes
    assert len(hashes) >= 1


def test_app_sessions_see_only_their_project_and_own_csrf(
    server: RunningServer, project: Project
) -> None:
    """An app session opens its project only; CSRF tokens are per session."""
    store = _store(server)
    app = store.open("app", project.app_id, project.id)
    manager = store.open("management", MANAGEMENT_ID, None)
    assert app.may_see(project.id)
    assert not app.may_see("proj_other")
    assert manager.may_see("proj_other")
    assert app.csrf_ok(app.csrf)
    assert not app.csrf_ok(manager.csrf)
    assert not app.csrf_ok(None)
