"""Developers: webhook endpoints (create, edit, pause, reveal the signing secret), the sendout
log and a sendout's exact body, headers, signature and attempts, retry and resend; key pairs;
with dev features the project clock and project reset."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.responses import Response

from openvoucher.api.schemas.webhooks import WebhookFields, endpoint_fields
from openvoucher.dashboard.forms import FormError, as_schema, required_text
from openvoucher.dashboard.web import Page, Pages, field_errors
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.platform import dev_clock, reset
from openvoucher.platform.domain.durations import parse_duration
from openvoucher.webhooks import endpoints as webhooks
from openvoucher.webhooks import inspection as webhook_inspection
from openvoucher.webhooks.events import PROJECT_EVENTS
from openvoucher.webhooks.model import EndpointFields
from openvoucher.webhooks.presenters.webhooks import sendout, sendout_detail, webhook
from openvoucher.webhooks.repositories.webhooks_sendouts import SendoutFilter

pages = Pages()

STATUSES = ("PENDING", "DELIVERED", "FAILED")
EVENT_NAMES = tuple(sorted(PROJECT_EVENTS))


@pages.get("/developers/webhooks")
def webhook_list(page: Page) -> Response:
    """The project's endpoints and a form for a new one."""
    rows, _ = webhooks.list_webhooks(page.uow, page.project_id, limit=100, offset=0)
    return page.render(
        "webhooks.html",
        rows=[webhook(r) for r in rows],
        events=EVENT_NAMES,
        values={"events": ""},
    )


def header_lines(text: str) -> dict[str, str]:
    """Custom headers typed one ``Name: value`` per line."""
    headers: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise FormError({"headers": f"Write each header as 'Name: value' ('{line.strip()}')."})
        headers[name.strip()] = value.strip()
    return headers


def webhook_body(page: Page) -> EndpointFields:
    """The endpoint fields the form gives, checked by the API's schema."""
    url = required_text(page.field("target_url"), "target_url", "A target URL")
    names = [n for n in re.split(r"[\s,]+", page.field("events")) if n]
    if not names:
        raise FormError({"events": "Subscribe to at least one event."})
    body = {"target_url": url, "events": names, "headers": header_lines(page.field("headers"))}
    return endpoint_fields(as_schema(WebhookFields, body))


def _form_again(page: Page, errors: dict[str, str], template: str, **extra: Any) -> Response:
    values = {name: page.field(name) for name in ("target_url", "events", "headers")}
    rows, _ = webhooks.list_webhooks(page.uow, page.project_id, limit=100, offset=0)
    return page.render(
        template,
        422,
        rows=[webhook(r) for r in rows],
        events=EVENT_NAMES,
        values=values,
        errors=errors,
        **extra,
    )


@pages.post("/developers/webhooks")
def create_webhook(page: Page) -> Response:
    """Create an endpoint, as ``POST /management/v1/projects/{id}/webhooks``."""
    try:
        webhooks.create(page.uow, page.project_id, webhook_body(page))
    except FormError as error:
        return _form_again(page, error.errors, "webhooks.html")
    except VoucherifyError as error:
        errors = field_errors(error, ("target_url", "events"))
        if "event" in error.details and "_form" in errors:
            errors = {"events": error.details}
        return _form_again(page, errors, "webhooks.html")
    return page.redirect("/developers/webhooks", done="created")


@pages.get("/developers/webhooks/{webhook_id}")
def webhook_detail(page: Page) -> Response:
    """One endpoint, its edit form and its recent sendouts."""
    row = webhook(webhooks.get(page.uow, page.project_id, page.path["webhook_id"]))
    return page.render(
        "webhook.html", hook=row, values=_stored(row), events=EVENT_NAMES, secret=None
    )


def _stored(row: dict[str, Any]) -> dict[str, str]:
    """An endpoint's fields as its edit form shows them."""
    headers = "\n".join(f"{name}: {value}" for name, value in row["headers"].items())
    return {"target_url": row["target_url"], "events": "\n".join(row["events"]), "headers": headers}


@pages.post("/developers/webhooks/{webhook_id}")
def update_webhook(page: Page) -> Response:
    """Change the URL and events."""
    ident = page.path["webhook_id"]
    hook = webhook(webhooks.get(page.uow, page.project_id, ident))
    try:
        webhooks.update(page.uow, page.project_id, ident, webhook_body(page))
    except (FormError, VoucherifyError) as error:
        errors = (
            error.errors
            if isinstance(error, FormError)
            else field_errors(error, ("target_url", "headers", "events"))
        )
        values = {name: page.field(name) for name in ("target_url", "events", "headers")}
        return page.render(
            "webhook.html",
            422,
            hook=hook,
            values=values,
            errors=errors,
            events=EVENT_NAMES,
            secret=None,
        )
    return page.redirect(f"/developers/webhooks/{ident}", done="saved")


@pages.post("/developers/webhooks/{webhook_id}/active")
def pause_webhook(page: Page) -> Response:
    """Pause (its pending sendouts give up) or resume an endpoint."""
    ident = page.path["webhook_id"]
    active = page.field("active") == "true"
    webhooks.update(page.uow, page.project_id, ident, EndpointFields(active=active))
    return page.redirect(f"/developers/webhooks/{ident}")


@pages.post("/developers/webhooks/{webhook_id}/secret")
def reveal_secret(page: Page) -> Response:
    """Show the project's signing secret (a POST, so it never sits in a cached page)."""
    row = webhook(webhooks.get(page.uow, page.project_id, page.path["webhook_id"]))
    secret = page.extra["project"]["webhook_token"]
    return page.render(
        "webhook.html", hook=row, values=_stored(row), events=EVENT_NAMES, secret=secret
    )


def sendout_filter(page: Page) -> SendoutFilter:
    """The log's filters from the query string."""
    status = page.query.get("status") if page.query.get("status") in STATUSES else None
    return SendoutFilter(
        status=status,
        event_type=page.query.get("event_type") or None,
        source_id=page.query.get("endpoint") or None,
    )


PAGE_SIZE = 25


@pages.get("/developers/sendouts")
def sendout_log(page: Page) -> Response:
    """The sendout log, newest first, filtered by status, event type and endpoint."""
    after = page.query.get("after") or None
    filters = replace(sendout_filter(page), after_id=after)
    rows, total = webhooks.list_sendouts(
        page.uow, page.project_id, filters, limit=PAGE_SIZE, offset=0
    )
    hooks, _ = webhooks.list_webhooks(page.uow, page.project_id, limit=100, offset=0)
    args = {name: page.query.get(name) or "" for name in ("status", "event_type", "endpoint")}
    return page.render(
        "sendouts.html",
        rows=[sendout(r) for r in rows],
        total=total,
        after=after,
        next_after=rows[-1].id if total > len(rows) and rows else None,
        args=args,
        statuses=STATUSES,
        events=EVENT_NAMES,
        hooks=hooks,
    )


def _sendout_context(page: Page) -> dict[str, Any]:
    ident = page.path["sendout_id"]
    detail = sendout_detail(webhooks.get_sendout(page.uow, page.project_id, ident))
    signed = webhook_inspection.signature(page.uow, page.project_id, ident)
    body = orjson.dumps(detail["payload"], option=orjson.OPT_INDENT_2).decode()
    return {"sendout": detail, "signed": signed, "pretty": body, "resent": None}


@pages.get("/developers/sendouts/{sendout_id}")
def sendout_page(page: Page) -> Response:
    """One sendout: the exact body, headers and signature, and every attempt."""
    return page.render("sendout.html", **_sendout_context(page))


@pages.post("/developers/sendouts/{sendout_id}/retry")
def retry(page: Page) -> Response:
    """Queue the sendout again (same id and body); the relay records the new attempt."""
    ident = page.path["sendout_id"]
    webhooks.retry_sendout(page.uow, page.project_id, ident)
    return page.redirect(f"/developers/sendouts/{ident}", done="retried")


@pages.post("/developers/sendouts/{sendout_id}/resend")
def resend(page: Page) -> Response:
    """POST the exact stored body now, freshly signed, and show the endpoint's answer."""
    ident = page.path["sendout_id"]
    timeout = page.container.settings.webhook_timeout_seconds
    answer = webhook_inspection.resend(page.uow, page.project_id, ident, None, timeout)
    context = _sendout_context(page)
    context["resent"] = answer
    return page.render("sendout.html", **context)


@pages.get("/developers/keys")
def keys(page: Page) -> Response:
    """The project's key pairs (tokens hidden but for the signed-in key's own kind)."""
    project = page.extra["project"]
    return page.render("keys.html", project=project)


def _machinery(page: Page) -> dev_clock.Machinery:
    if not page.container.settings.dev_features:
        raise VoucherifyError(
            "Not available",
            "The clock needs `openvoucher serve --dev`.",
            key="not_found",
            status=404,
        )
    return dev_clock.Machinery.of(page.container, page.project_id)


@pages.get("/developers/clock")
def clock(page: Page) -> Response:
    """The project's clock (dev features only)."""
    return page.render("clock.html", clock=dev_clock.status(_machinery(page)), errors={})


@pages.post("/developers/clock")
def move_clock(page: Page) -> Response:
    """Advance the project's clock by a duration, or reset it to the real time."""
    machinery = _machinery(page)
    if page.field("reset") == "true":
        dev_clock.travel(machinery, datetime.now(UTC))
        return page.redirect("/developers/clock", done="reset")
    try:
        duration = parse_duration(required_text(page.field("advance"), "advance", "A duration"))
    except (FormError, ValueError, VoucherifyError) as error:
        message = error.errors["advance"] if isinstance(error, FormError) else str(error)
        values = {"advance": page.field("advance")}
        return page.render(
            "clock.html",
            422,
            clock=dev_clock.status(machinery),
            errors={"advance": message},
            values=values,
        )
    move = dev_clock.advance(machinery, duration)
    return page.render("clock.html", clock=dev_clock.status(machinery, move), errors={})


@pages.post("/developers/reset")
def reset_project(page: Page) -> Response:
    """Empty the project (dev features only), as ``POST /v1/_test/reset``."""
    _machinery(page)
    if page.field("confirm") != page.extra["project"]["name"]:
        return page.render(
            "clock.html",
            422,
            clock=dev_clock.status(_machinery(page)),
            errors={"confirm": "Type the project's name to confirm."},
        )
    reset.reset(page.uow, page.project_id)
    return page.redirect("", done="reset")
