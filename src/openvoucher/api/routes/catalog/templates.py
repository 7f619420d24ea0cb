"""Campaign templates (``/v1/templates/campaigns``) and their management endpoints."""

from __future__ import annotations

from typing import Any

from openvoucher.api.params import bool_param, choice_param, int_param
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.campaigns import CampaignCreate
from openvoucher.api.schemas.customers import given
from openvoucher.api.schemas.management import TemplateCopy, TemplateCreate, TemplateUpdate
from openvoucher.api.schemas.promotions import TierSetup
from openvoucher.catalog import campaign_templates
from openvoucher.catalog.model import TemplateFields
from openvoucher.catalog.presenters.campaign_templates import (
    campaign_template,
    campaign_templates_page,
)

routes = Routes()

BASE = "/v1/templates/campaigns"
MANAGED = "/management/v1/projects/{projectId}/templates/campaigns"


@routes.post(BASE)
def create_template(request: ApiRequest) -> dict[str, Any]:
    """Save a campaign or a promotion tier as a template."""
    body = request.json(TemplateCreate)
    fields = TemplateFields(
        name=body.name,
        description=body.description,
        campaign_id=body.campaign_id,
        promotion_tier_id=body.promotion_tier_id,
    )
    return campaign_template(campaign_templates.create(request.uow, request.project_id, fields))


def _page(request: ApiRequest, project_id: str) -> dict[str, Any]:
    query = request.query
    limit = int_param(query, "limit", 10, low=1, high=100)
    descending = choice_param(query, "order", {"id", "-id"}, "id") == "-id"
    rows, total = campaign_templates.list_templates(
        request.uow, project_id, limit, query.get("starting_after_id") or None, descending
    )
    shown_total = total if bool_param(query, "include_total") else None
    return campaign_templates_page(rows, limit, shown_total)


@routes.get(BASE)
def list_templates(request: ApiRequest) -> dict[str, Any]:
    """The project's templates, by id."""
    return _page(request, request.project_id)


@routes.get(BASE + "/{campaignTemplateId}")
def get_template(request: ApiRequest) -> dict[str, Any]:
    """By id; ``expand=json_template`` adds the saved campaign definition."""
    expand = choice_param(request.query, "expand", {"json_template", ""}, "")
    row = campaign_templates.get(
        request.uow, request.project_id, request.path["campaignTemplateId"]
    )
    return campaign_template(row, json_template=expand == "json_template")


@routes.put(BASE + "/{campaignTemplateId}")
def update_template(request: ApiRequest) -> dict[str, Any]:
    """Change the name or description."""
    body = request.json(TemplateUpdate)
    fields = TemplateFields(name=body.name, description=body.description)
    template_id = request.path["campaignTemplateId"]
    row = campaign_templates.update(request.uow, request.project_id, template_id, fields)
    return campaign_template(row)


@routes.delete(BASE + "/{campaignTemplateId}", status=204)
def delete_template(request: ApiRequest) -> None:
    """Remove a template."""
    campaign_templates.delete(request.uow, request.project_id, request.path["campaignTemplateId"])


@routes.post(BASE + "/{campaignTemplateId}/campaign-setup")
def campaign_setup(request: ApiRequest) -> dict[str, Any]:
    """Create a campaign from the template (sent fields replace the template's)."""
    fields = given(request.json(CampaignCreate))
    fields.pop("campaign_type", None)
    template_id = request.path["campaignTemplateId"]
    return campaign_templates.campaign_setup(
        request.uow, request.project_id, template_id, fields, request.request_id
    )


@routes.post(BASE + "/{campaignTemplateId}/tier-setup")
def tier_setup(request: ApiRequest) -> dict[str, Any]:
    """Add a promotion tier made from the template to a PROMOTION campaign."""
    fields = given(request.json(TierSetup))
    template_id = request.path["campaignTemplateId"]
    return campaign_templates.tier_setup(request.uow, request.project_id, template_id, fields)


@routes.get(MANAGED, auth="management")
def list_project_templates(request: ApiRequest) -> dict[str, Any]:
    """A project's templates (as ``GET /v1/templates/campaigns``)."""
    return _page(request, request.path["projectId"])


@routes.post(MANAGED + "/{campaignTemplateId}/copy", auth="management")
def copy_template(request: ApiRequest) -> dict[str, Any]:
    """Copy a template to another project."""
    body = request.json(TemplateCopy)
    fields = TemplateFields(
        name=body.name,
        description=body.description,
        destination_project_id=body.destination_project_id,
    )
    path = request.path
    row = campaign_templates.copy(
        request.uow, path["projectId"], path["campaignTemplateId"], fields
    )
    return campaign_template(row)
