"""The dashboard's request plumbing: a route table of plain sync page functions (run in the
thread pool, like the API's handlers), the session and project checks, CSRF on every POST,
and rendering through Jinja2 with autoescaping on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from openvoucher.dashboard.sessions import COOKIE, Session, SessionStore
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.platform import projects

PREFIX = "/dashboard"
TEMPLATES = Path(__file__).parent / "templates"
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "svg"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = money
    env.filters["when"] = when
    return env


def money(value: Any) -> str:
    """Cents as ``12.34`` (Voucherify stores money as integer hundredths)."""
    if not isinstance(value, int):
        return "—" if value is None else str(value)
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value) // 100:,}.{abs(value) % 100:02d}"


def when(value: Any) -> str:
    """An ISO timestamp, shortened to the minute."""
    text = str(value or "")
    return text[:16].replace("T", " ") if text else "—"


ENV = _environment()


@dataclass
class Page:
    """What a page function sees: the session, the project, the query and the form."""

    request: Request
    container: Any
    session: Session
    project_id: str
    path: dict[str, str]
    query: QueryParams
    form: FormData | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def uow(self) -> Any:
        """The container's unit of work."""
        return self.container.uow

    def field(self, name: str) -> str:
        """A text field of the posted form, stripped ('' when absent)."""
        value = self.form.get(name) if self.form is not None else None
        return value.strip() if isinstance(value, str) else ""

    def url(self, path: str = "", **query: Any) -> str:
        """A dashboard URL inside the current project."""
        return project_url(self.project_id, path, **query)

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        """The template rendered with the common context."""
        context.setdefault("errors", {})
        context.setdefault("values", {})
        html = ENV.get_template(template).render(page=self, session=self.session, **context)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def redirect(self, path: str = "", **query: Any) -> Response:
        """303 to another page of the project (the answer to a successful POST)."""
        return RedirectResponse(self.url(path, **query), status_code=303)


def project_url(project_id: str, path: str = "", **query: Any) -> str:
    """``/dashboard/p/{project}{path}?{query}``."""
    given = {k: v for k, v in query.items() if v not in (None, "")}
    tail = "?" + urlencode(given) if given else ""
    return f"{PREFIX}/p/{project_id}{path}{tail}"


PageFunction = Callable[[Page], Response]


@dataclass
class PageSpec:
    """One method on one dashboard path (inside ``/dashboard/p/{project}``)."""

    method: str
    path: str
    function: PageFunction


@dataclass
class Pages:
    """Collects the pages of one dashboard module."""

    items: list[PageSpec] = field(default_factory=list)

    def get(self, path: str) -> Callable[[PageFunction], PageFunction]:
        """Register a GET page."""
        return self._add("GET", path)

    def post(self, path: str) -> Callable[[PageFunction], PageFunction]:
        """Register a form action (CSRF-checked)."""
        return self._add("POST", path)

    def _add(self, method: str, path: str) -> Callable[[PageFunction], PageFunction]:
        def register(function: PageFunction) -> PageFunction:
            self.items.append(PageSpec(method, path, function))
            return function

        return register


Endpoint = Callable[[Request], Awaitable[Response]]
CSRF_REFUSED = (
    "This form has expired or was not sent by the dashboard (missing or invalid CSRF token). "
    "Reload the page and try again."
)


def endpoint(spec: PageSpec, container: Any, store: SessionStore) -> Endpoint:
    """The Starlette endpoint of a page: session, project, CSRF, then the page in a thread."""

    async def run(request: Request) -> Response:
        session = await run_in_threadpool(store.find, request.cookies.get(COOKIE))
        if session is None:
            return RedirectResponse(f"{PREFIX}/login", status_code=303)
        params = dict(request.path_params)
        project_id = params.pop("project_id")
        form = await request.form() if spec.method == "POST" else None
        try:
            if form is not None and not session.csrf_ok(_text(form.get("csrf"))):
                return message_page(session, 403, CSRF_REFUSED)
            page = Page(request, container, session, project_id, params, request.query_params, form)
            return await run_in_threadpool(_guarded, spec.function, page)
        finally:
            if form is not None:
                await form.close()

    return run


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _guarded(function: PageFunction, page: Page) -> Response:
    """The page, once the project is known and visible to the session; errors as pages."""
    if not page.session.may_see(page.project_id):
        return message_page(page.session, 404, "No such project.")
    try:
        page.extra["project"] = projects.get_project(page.uow, page.project_id)
        if page.session.kind == "management":
            page.extra["projects"] = projects.list_projects(page.uow)
        return function(page)
    except VoucherifyError as error:
        return message_page(page.session, error.status, error.details, page)


def message_page(
    session: Session | None, status: int, text: str, page: Page | None = None
) -> Response:
    """A plain page saying what went wrong."""
    html = ENV.get_template("message.html").render(
        session=session, page=page, status=status, text=text
    )
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def field_errors(error: VoucherifyError, fields: tuple[str, ...]) -> dict[str, str]:
    """A service error placed next to the form field its message names (else the form's top)."""
    text = error.details or error.message
    for name in fields:
        if name in text:
            return {name: text}
    return {"_form": text}


def pager(query: QueryParams, size: int = 25) -> tuple[int, int, int]:
    """Page number (from 1), limit and offset from ``?page=``."""
    raw = query.get("page") or "1"
    number = int(raw) if raw.isdigit() and 0 < int(raw) <= 10_000 else 1
    return number, size, (number - 1) * size
