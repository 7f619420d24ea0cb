"""Management API: projects (``/management/v1/projects``)."""

from __future__ import annotations

from typing import Any

import msgspec

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas import refused
from openvoucher.api.schemas.notifications import (
    ApiUsageNotifications,
    WebhooksCalloutNotifications,
)
from openvoucher.kernel.lists import listing
from openvoucher.platform import project_deletion, projects
from openvoucher.platform.presenters.projects import project

routes = Routes()

Name = msgspec.Meta(max_length=200)


class ProjectFields(msgspec.Struct, omit_defaults=True):
    """Settings accepted on create and update (nulls allowed where the spec allows)."""

    name: str | None = None
    description: str | None = None
    timezone: str | None = None
    currency: str | None = None
    dial_code: str | None = None
    webhook_version: str | None = None
    client_trusted_domains: list[str] | None = None
    client_redeem_enabled: bool | None = None
    client_publish_enabled: bool | None = None
    client_list_vouchers_enabled: bool | None = None
    client_create_customer_enabled: bool | None = None
    client_loyalty_events_enabled: bool | None = None
    client_set_voucher_expiration_date_enabled: bool | None = None
    case_sensitive_codes: bool | None = None
    webhooks_callout_notifications: WebhooksCalloutNotifications | None = None
    api_usage_notifications: ApiUsageNotifications | None = None
    default_code_config: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        refused.check(self)


def _fields(request: ApiRequest) -> dict[str, Any]:
    body = request.json(ProjectFields)
    fields: dict[str, Any] = msgspec.to_builtins(body)
    return {k: v for k, v in fields.items() if v is not None}


@routes.post("/management/v1/projects", auth="management")
def create_project(request: ApiRequest) -> dict[str, Any]:
    """Create a project with its own keys and webhook token."""
    return project(projects.create_project(request.uow, _fields(request)))


@routes.get("/management/v1/projects", auth="management")
def list_projects(request: ApiRequest) -> dict[str, Any]:
    """All projects."""
    data = [project(row) for row in projects.list_projects(request.uow)]
    return listing(data, len(data))


@routes.get("/management/v1/projects/{projectId}", auth="management")
def get_project(request: ApiRequest) -> dict[str, Any]:
    """One project."""
    return project(projects.get_project(request.uow, request.path["projectId"]))


@routes.put("/management/v1/projects/{projectId}", auth="management")
def update_project(request: ApiRequest) -> dict[str, Any]:
    """Change a project's settings."""
    row = projects.update_project(request.uow, request.path["projectId"], _fields(request))
    return project(row)


@routes.delete("/management/v1/projects/{projectId}", auth="management", status=204)
def delete_project(request: ApiRequest) -> None:
    """Delete a project and everything in it (the default project is refused)."""
    project_deletion.delete_project(request.uow, request.path["projectId"])
    for forget in request.container.keys_revoked:
        forget()
