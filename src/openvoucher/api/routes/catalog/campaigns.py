"""``/v1/campaigns``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from openvoucher.api.null_policy import without_nulls
from openvoucher.api.params import (
    bool_param,
    choice_param,
    date_param,
    int_param,
    invalid_query,
    page_params,
)
from openvoucher.api.routing import ApiRequest, Reply, Routes
from openvoucher.api.schemas.campaigns import CampaignCreate, CampaignUpdate
from openvoucher.api.schemas.vouchers import CampaignVoucherAdd, given
from openvoucher.catalog import campaigns
from openvoucher.catalog.repositories.campaigns import CampaignFilter
from openvoucher.kernel.lists import listing

routes = Routes()

ORDERS = {"created_at", "-created_at", "updated_at", "-updated_at"}
TYPES = {"DISCOUNT_COUPONS", "GIFT_VOUCHERS", "LOYALTY_PROGRAM", "PROMOTION", "REFERRAL_PROGRAM"}
STATUSES = {"DONE", "IN_PROGRESS", "FAILED", "DRAFT", "MODIFYING"}


@routes.post("/v1/campaigns")
def create_campaign(request: ApiRequest) -> dict[str, Any]:
    """Create a campaign, generating ``vouchers_count`` codes."""
    fields = given(request.json(CampaignCreate))
    return campaigns.create(request.uow, request.project_id, fields, request.request_id)


@routes.get("/v1/campaigns/{campaignId}")
def get_campaign(request: ApiRequest) -> dict[str, Any]:
    """By id or name."""
    return campaigns.get(request.uow, request.project_id, request.path["campaignId"])


@routes.put("/v1/campaigns/{campaignId}")
def update_campaign(request: ApiRequest) -> dict[str, Any]:
    """Change the given fields."""
    fields = without_nulls(given(request.json(CampaignUpdate)))
    return campaigns.update(request.uow, request.project_id, request.path["campaignId"], fields)


@routes.delete("/v1/campaigns/{campaignId}", status=202)
def delete_campaign(request: ApiRequest) -> dict[str, Any]:
    """Queue the deletion of the campaign and its vouchers; the campaign goes to the bin
    unless ``force=true``."""
    binned = not bool_param(request.query, "force")
    ident = request.path["campaignId"]
    action_id = campaigns.delete(
        request.uow, request.project_id, ident, request.request_id, binned=binned
    )
    return {"async_action_id": action_id}


@routes.post("/v1/campaigns/{campaignId}/enable")
def enable_campaign(request: ApiRequest) -> dict[str, Any]:
    """Turn the campaign on."""
    campaigns.set_active(request.uow, request.project_id, request.path["campaignId"], True)
    return {}


@routes.post("/v1/campaigns/{campaignId}/disable")
def disable_campaign(request: ApiRequest) -> dict[str, Any]:
    """Turn the campaign off."""
    campaigns.set_active(request.uow, request.project_id, request.path["campaignId"], False)
    return {}


@routes.get("/v1/campaigns")
def list_campaigns(request: ApiRequest) -> dict[str, Any]:
    """A page of campaigns, filterable by type and status."""
    q = request.query
    page = page_params(q, max_page=100)
    referral = bool_param(q, "is_referral_code") if q.get("is_referral_code") else None
    filters = CampaignFilter(
        campaign_type=choice_param(q, "campaign_type", TYPES, "DISCOUNT_COUPONS")
        if q.get("campaign_type")
        else None,
        campaign_status=choice_param(q, "campaign_status", STATUSES, "DONE")
        if q.get("campaign_status")
        else None,
        is_referral_code=referral,
    )
    if q.get("expand") and q["expand"] not in {"category", "access_settings_assignments"}:
        raise invalid_query("'expand' must be one of: access_settings_assignments, category")
    order = choice_param(q, "order", ORDERS, "-created_at")
    rows, total = campaigns.list_campaigns(
        request.uow, request.project_id, filters, order=order, limit=page.limit, offset=page.offset
    )
    return listing(rows, total, "campaigns")


@routes.post("/v1/campaigns/{campaignId}/vouchers")
def add_vouchers(request: ApiRequest) -> Reply:
    """One voucher back directly; ``vouchers_count`` > 1 queues an async action (202)."""
    fields = given(request.json(CampaignVoucherAdd))
    count = int_param(request.query, "vouchers_count", 1, low=1, high=1_000_000)
    voucher, action_id = campaigns.add_vouchers(
        request.uow,
        request.project_id,
        request.path["campaignId"],
        fields,
        count,
        request.request_id,
    )
    if voucher is not None:
        return Reply(voucher)
    return Reply({"async_action_id": action_id}, status=202)


@routes.post("/v1/campaigns/{campaignId}/vouchers/{code}")
def add_voucher_with_code(request: ApiRequest) -> dict[str, Any]:
    """Add a voucher with this code."""
    fields = given(request.json(CampaignVoucherAdd))
    fields.pop("code", None)
    return campaigns.add_voucher_with_code(
        request.uow, request.project_id, request.path["campaignId"], request.path["code"], fields
    )


def _period_end(request: ApiRequest) -> datetime | None:
    """``end_date`` counts in full: a date means until the end of that day."""
    end = date_param(request.query, "end_date")
    raw = request.query.get("end_date") or ""
    return end + timedelta(days=1) if end is not None and len(raw.strip()) == 10 else end


@routes.get("/v1/campaigns/{campaignId}/summary")
def campaign_summary(request: ApiRequest) -> dict[str, Any]:
    """The campaign's redemptions, rollbacks, vouchers, publications and ledger figures,
    between ``start_date`` and ``end_date`` when given."""
    return campaigns.summary(
        request.uow,
        request.project_id,
        request.path["campaignId"],
        date_param(request.query, "start_date"),
        _period_end(request),
    )
