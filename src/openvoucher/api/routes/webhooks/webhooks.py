"""Management API: project webhook endpoints (``/management/v1/projects/{projectId}/webhooks``)."""

from __future__ import annotations

from typing import Any

from openvoucher.api.params import page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.webhooks import WebhookFields, endpoint_fields
from openvoucher.kernel.lists import listing
from openvoucher.webhooks import endpoints as webhooks
from openvoucher.webhooks.presenters.webhooks import webhook

routes = Routes()

BASE = "/management/v1/projects/{projectId}/webhooks"


@routes.post(BASE, auth="management")
def create_webhook(request: ApiRequest) -> dict[str, Any]:
    """Create an endpoint; misspelled event names from the spec are stored correctly spelled."""
    fields = endpoint_fields(request.json(WebhookFields))
    return webhook(webhooks.create(request.uow, request.path["projectId"], fields))


@routes.get(BASE, auth="management")
def list_webhooks(request: ApiRequest) -> dict[str, Any]:
    """The project's endpoints, newest first."""
    page = page_params(request.query, default_limit=100)
    rows, total = webhooks.list_webhooks(
        request.uow, request.path["projectId"], limit=page.limit, offset=page.offset
    )
    return listing([webhook(r) for r in rows], total)


@routes.get(BASE + "/{webhookId}", auth="management")
def get_webhook(request: ApiRequest) -> dict[str, Any]:
    """One endpoint."""
    path = request.path
    return webhook(webhooks.get(request.uow, path["projectId"], path["webhookId"]))


@routes.put(BASE + "/{webhookId}", auth="management")
def update_webhook(request: ApiRequest) -> dict[str, Any]:
    """Change the URL, events, active flag or custom headers."""
    fields = endpoint_fields(request.json(WebhookFields))
    path = request.path
    return webhook(webhooks.update(request.uow, path["projectId"], path["webhookId"], fields))


@routes.delete(BASE + "/{webhookId}", auth="management", status=204)
def delete_webhook(request: ApiRequest) -> None:
    """Remove an endpoint."""
    webhooks.delete(request.uow, request.path["projectId"], request.path["webhookId"])
