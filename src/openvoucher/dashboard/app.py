"""The dashboard's routes under ``/dashboard`` of the API server: sign-in and sign-out here,
the project pages in the ``pages_*`` modules, static files from ``static/``."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from openvoucher.dashboard import (
    pages_campaigns,
    pages_customers,
    pages_developers,
    pages_loyalty,
    pages_overview,
    pages_rewards,
    pages_trigger,
    pages_vouchers,
)
from openvoucher.dashboard.sessions import COOKIE, Session, SessionStore
from openvoucher.dashboard.web import ENV, PREFIX, SECURITY_HEADERS, endpoint, project_url
from openvoucher.platform import projects

STATIC = Path(__file__).parent / "static"
STATIC_FILES = {"dashboard.css": "text/css", "dashboard.js": "text/javascript"}
MODULES = (
    pages_overview,
    pages_vouchers,
    pages_campaigns,
    pages_customers,
    pages_loyalty,
    pages_rewards,
    pages_developers,
    pages_trigger,
)


def dashboard_routes(container: Any) -> list[BaseRoute]:
    """Every dashboard route, for the API app's route list. Sessions live in the database, so
    every API process of ``serve --workers N`` serves the dashboard
    (docs/adr/0072-dashboard-sessions-in-the-database.md)."""
    store = SessionStore(container.uow, _secret())
    routes: list[BaseRoute] = [
        Route(PREFIX, _home(store), methods=["GET"]),
        Route(PREFIX + "/login", _login_form, methods=["GET"]),
        Route(PREFIX + "/login", _login(container, store), methods=["POST"]),
        Route(PREFIX + "/logout", _logout(store), methods=["POST"]),
        Route(PREFIX + "/static/{name}", _static, methods=["GET"]),
    ]
    for module in MODULES:
        for spec in module.pages.items:
            path = f"{PREFIX}/p/{{project_id}}{spec.path}"
            routes.append(Route(path, endpoint(spec, container, store), methods=[spec.method]))
    return routes


def _secret() -> bytes | None:
    """``OPENVOUCHER_DASHBOARD_SECRET`` when set (``serve --workers N`` sets one for its
    processes when it is not), else a random key for this process."""
    value = os.environ.get("OPENVOUCHER_DASHBOARD_SECRET")
    return hashlib.sha256(value.encode()).digest() if value else None


def _html(template: str, status: int = 200, **context: Any) -> Response:
    html = ENV.get_template(template).render(session=None, page=None, **context)
    return Response(html, status, media_type="text/html", headers=SECURITY_HEADERS)


LOGIN_COOKIE = "ov_login"
"""The sign-in form's CSRF token (double submit): the form must post back the cookie's value."""


def _login_page(status: int = 200, **context: Any) -> Response:
    """The sign-in form with a fresh CSRF token, also set as a short-lived cookie."""
    token = secrets.token_urlsafe(24)
    context.setdefault("values", {})
    context.setdefault("errors", {})
    response = _html("login.html", status, login_csrf=token, **context)
    response.set_cookie(
        LOGIN_COOKIE, token, max_age=3600, path=PREFIX + "/login", httponly=True, samesite="strict"
    )
    return response


async def _login_form(_request: Request) -> Response:
    return _login_page()


def _login_csrf_ok(request: Request, form: Any) -> bool:
    sent, kept = form.get("csrf"), request.cookies.get(LOGIN_COOKIE)
    if not isinstance(sent, str) or not sent or not kept:
        return False
    return hmac.compare_digest(sent.encode(), kept.encode())


def _login(container: Any, store: SessionStore) -> Any:
    async def login(request: Request) -> Response:
        form = await request.form()
        key_id, token = str(form.get("key_id") or "").strip(), str(form.get("token") or "")
        if not _login_csrf_ok(request, form):
            errors = {"_form": "The sign-in form expired or did not come from here; try again."}
            return _login_page(403, values={"key_id": key_id}, errors=errors)
        principal = None
        if key_id and token:
            principal = await run_in_threadpool(projects.authenticate, container.uow, key_id, token)
        if principal is None or principal.kind not in {"app", "management"}:
            errors = {"token": "Unknown key id or wrong token (use an app or management key)."}
            return _login_page(401, values={"key_id": key_id}, errors=errors)
        project_id = principal.project_id or container.default_project["id"]
        session = await run_in_threadpool(store.open, principal.kind, key_id, principal.project_id)
        response = RedirectResponse(project_url(project_id), status_code=303)
        _set_cookie(response, store, session, request.url.scheme == "https")
        response.delete_cookie(LOGIN_COOKIE, path=PREFIX + "/login")
        return response

    return login


def _set_cookie(response: Response, store: SessionStore, session: Session, secure: bool) -> None:
    response.set_cookie(
        COOKIE,
        store.cookie(session),
        max_age=store.lifetime,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=secure,
    )


def _logout(store: SessionStore) -> Any:
    async def logout(request: Request) -> Response:
        session = await run_in_threadpool(store.find, request.cookies.get(COOKIE))
        form = await request.form()
        token = form.get("csrf")
        if session is not None and session.csrf_ok(token if isinstance(token, str) else None):
            await run_in_threadpool(store.close, session.session_id)
        response = RedirectResponse(PREFIX + "/login", status_code=303)
        response.delete_cookie(COOKIE, path=PREFIX)
        return response

    return logout


def _home(store: SessionStore) -> Any:
    async def home(request: Request) -> Response:
        session = await run_in_threadpool(store.find, request.cookies.get(COOKIE))
        if session is None:
            return RedirectResponse(PREFIX + "/login", status_code=303)
        project_id = session.project_id or request.app.state.container.default_project["id"]
        return RedirectResponse(project_url(project_id), status_code=303)

    return home


async def _static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC_FILES:
        return Response("not found", 404, media_type="text/plain")
    return FileResponse(STATIC / name, media_type=STATIC_FILES[name])
