"""The sendout log (openvoucher's extension): ``/v1/webhooks/sendouts``."""

from __future__ import annotations

from typing import Any

from openvoucher.api.lists import page_listing
from openvoucher.api.params import date_param, int_param, invalid_query, page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.dev import Resend
from openvoucher.webhooks import endpoints as webhooks
from openvoucher.webhooks import inspection as webhook_inspection
from openvoucher.webhooks.presenters.webhooks import sendout, sendout_detail
from openvoucher.webhooks.repositories.webhooks_sendouts import SendoutFilter

routes = Routes()

STATUSES = {"PENDING", "DELIVERED", "FAILED"}


def _filters(request: ApiRequest) -> SendoutFilter:
    q = request.query
    status = q.get("status") or None
    if status is not None and status.upper() not in STATUSES:
        raise invalid_query("'status' must be one of: DELIVERED, FAILED, PENDING")
    mentions = tuple(q[name] for name in ("voucher", "customer") if q.get(name))
    return SendoutFilter(
        status=status.upper() if status else None,
        event_type=q.get("event_type") or q.get("type") or None,
        source_id=q.get("source_id") or None,
        event_id=q.get("event_id") or None,
        created_before=date_param(q, "created_at[before]"),
        created_after=date_param(q, "created_at[after]"),
        mentions=mentions,
    )


@routes.get("/v1/webhooks/sendouts")
def list_sendouts(request: ApiRequest) -> dict[str, Any]:
    """Sendouts newest first; filter by status, event_type (or type), source_id, event_id,
    dates, and ``voucher`` (id or code) / ``customer`` (id or source_id) in the event data."""
    page = page_params(request.query)
    rows, total = webhooks.list_sendouts(
        request.uow, request.project_id, _filters(request), limit=page.limit, offset=page.offset
    )
    return page_listing([sendout(r) for r in rows], total, page, "sendouts")


@routes.get("/v1/webhooks/sendouts/{sendoutId}")
def get_sendout(request: ApiRequest) -> dict[str, Any]:
    """One sendout: the payload sent and every attempt."""
    ident = request.path["sendoutId"]
    return sendout_detail(webhooks.get_sendout(request.uow, request.project_id, ident))


@routes.post("/v1/webhooks/sendouts/{sendoutId}/retry")
def retry_sendout(request: ApiRequest) -> dict[str, Any]:
    """Send again now, with the same id and body."""
    ident = request.path["sendoutId"]
    return sendout_detail(webhooks.retry_sendout(request.uow, request.project_id, ident))


@routes.post("/v1/webhooks/sendouts/{sendoutId}/resend")
def resend_sendout(request: ApiRequest) -> dict[str, Any]:
    """POST the exact stored body now, freshly signed, to its endpoint or to ``url``."""
    body = request.json(Resend)
    timeout = request.container.settings.webhook_timeout_seconds
    return webhook_inspection.resend(
        request.uow, request.project_id, request.path["sendoutId"], body.url, timeout
    )


@routes.get("/v1/webhooks/sendouts/{sendoutId}/signature")
def sendout_signature(request: ApiRequest) -> dict[str, Any]:
    """The exact signed content and headers (at ``timestamp``, default the last attempt)."""
    raw = request.query.get("timestamp")
    stamp = int_param(request.query, "timestamp", 0, low=0, high=2**40) if raw else None
    return webhook_inspection.signature(
        request.uow, request.project_id, request.path["sendoutId"], stamp
    )
