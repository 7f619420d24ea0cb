"""Dashboard sessions: signed cookies, expiry, sign-out, CSRF tokens (no database)."""

from __future__ import annotations

import time

from openvoucher.dashboard.sessions import SessionStore


def test_cookie_names_the_live_session() -> None:
    """A session's cookie finds it again."""
    store = SessionStore(b"k" * 32)
    session = store.open("app", "key-1", "proj_1")
    assert store.find(store.cookie(session)) == session


def test_tampered_or_foreign_cookies_find_nothing() -> None:
    """A changed id, a changed signature or another server's key find no session."""
    store = SessionStore(b"k" * 32)
    cookie = store.cookie(store.open("app", "key-1", "proj_1"))
    session_id, _, mac = cookie.rpartition(".")
    assert store.find(session_id + "x." + mac) is None
    assert store.find(session_id + "." + mac[:-1] + "A") is None
    assert store.find(session_id) is None
    assert store.find("") is None
    assert SessionStore(b"z" * 32).find(cookie) is None


def test_sessions_expire() -> None:
    """A session past its lifetime is gone."""
    store = SessionStore(b"k" * 32, lifetime=0.05)
    cookie = store.cookie(store.open("management", "m", None))
    time.sleep(0.1)
    assert store.find(cookie) is None


def test_closed_sessions_stay_closed() -> None:
    """Signing out makes the cookie worthless."""
    store = SessionStore(b"k" * 32)
    session = store.open("app", "key-1", "proj_1")
    store.close(session.session_id)
    assert store.find(store.cookie(session)) is None


def test_app_sessions_see_only_their_project_and_own_csrf() -> None:
    """An app session opens its project only; CSRF tokens are per session."""
    store = SessionStore(b"k" * 32)
    app = store.open("app", "key-1", "proj_1")
    manager = store.open("management", "m", None)
    assert app.may_see("proj_1")
    assert not app.may_see("proj_2")
    assert manager.may_see("proj_2")
    assert app.csrf_ok(app.csrf)
    assert not app.csrf_ok(manager.csrf)
    assert not app.csrf_ok(None)


def test_several_api_processes_get_a_notice_instead_of_the_dashboard() -> None:
    """Under --workers N > 1 the dashboard is one route answering why it is not served."""
    from types import SimpleNamespace

    from openvoucher.config import Settings
    from openvoucher.dashboard.app import dashboard_routes

    routes = dashboard_routes(SimpleNamespace(settings=Settings(workers=2)))
    assert [getattr(route, "path", "") for route in routes] == ["/dashboard/{rest:path}"]
    single = dashboard_routes(SimpleNamespace(settings=Settings()))
    assert "/dashboard/login" in [getattr(route, "path", "") for route in single]
