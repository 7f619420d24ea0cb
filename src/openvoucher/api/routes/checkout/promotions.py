"""``/v1/promotions``: promotion tiers and promotion stacks (and the client-side tier list)."""

from __future__ import annotations

from typing import Any

from openvoucher.api.params import bool_param, choice_param, date_param, page_params
from openvoucher.api.routes.platform.client import admit, only_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.promotions import StackCreate, StackUpdate, TierCreate, TierUpdate
from openvoucher.api.schemas.vouchers import given
from openvoucher.checkout import promotion_stacks, promotions

routes = Routes()

TIER_ORDERS = {"created_at", "-created_at", "updated_at", "-updated_at"}
STACK_ORDERS = TIER_ORDERS | {"name", "-name"}
CLIENT_TIER_PARAMS = frozenset({"is_available", "limit", "page", "order"})


def _tiers(request: ApiRequest, campaign: str | None) -> dict[str, Any]:
    q = request.query
    page = page_params(q)
    return promotions.list_tiers(
        request.uow,
        request.project_id,
        campaign,
        available=bool_param(q, "is_available"),
        order=choice_param(q, "order", TIER_ORDERS, "created_at"),
        limit=page.limit,
        offset=page.offset,
    )


@routes.get("/v1/promotions/tiers")
def list_tiers(request: ApiRequest) -> dict[str, Any]:
    """Every campaign's tiers (``is_available=true``: only those usable now)."""
    return _tiers(request, None)


@routes.get("/client/v1/promotions/tiers", auth="client")
def list_tiers_client_side(request: ApiRequest) -> dict[str, Any]:
    """The tiers, as ``GET /v1/promotions/tiers``, for client keys (trusted origins only);
    only the documented query parameters."""
    admit(request)
    only_params(request, CLIENT_TIER_PARAMS)
    return _tiers(request, None)


@routes.get("/v1/promotions/{campaignId}/tiers")
def list_campaign_tiers(request: ApiRequest) -> dict[str, Any]:
    """One campaign's tiers."""
    return _tiers(request, request.path["campaignId"])


@routes.post("/v1/promotions/{campaignId}/tiers")
def add_tier(request: ApiRequest) -> dict[str, Any]:
    """Add a tier to a PROMOTION campaign (after its last one unless ``hierarchy`` is given)."""
    fields = given(request.json(TierCreate))
    return promotions.add(request.uow, request.project_id, request.path["campaignId"], fields)


@routes.get("/v1/promotions/tiers/{promotionTierId}")
def get_tier(request: ApiRequest) -> dict[str, Any]:
    """One tier."""
    return promotions.get(request.uow, request.project_id, request.path["promotionTierId"])


@routes.put("/v1/promotions/tiers/{promotionTierId}")
def update_tier(request: ApiRequest) -> dict[str, Any]:
    """Change the given fields of a tier."""
    fields = given(request.json(TierUpdate))
    tier_id = request.path["promotionTierId"]
    return promotions.update(request.uow, request.project_id, tier_id, fields)


@routes.delete("/v1/promotions/tiers/{promotionTierId}", status=204)
def delete_tier(request: ApiRequest) -> None:
    """Delete a tier (its redemptions stay)."""
    promotions.delete(request.uow, request.project_id, request.path["promotionTierId"])


@routes.post("/v1/promotions/tiers/{promotionTierId}/enable")
def enable_tier(request: ApiRequest) -> dict[str, Any]:
    """Turn a tier on."""
    tier_id = request.path["promotionTierId"]
    return promotions.set_active(request.uow, request.project_id, tier_id, True)


@routes.post("/v1/promotions/tiers/{promotionTierId}/disable")
def disable_tier(request: ApiRequest) -> dict[str, Any]:
    """Turn a tier off."""
    tier_id = request.path["promotionTierId"]
    return promotions.set_active(request.uow, request.project_id, tier_id, False)


def _stacks(request: ApiRequest, campaign: str | None) -> dict[str, Any]:
    q = request.query
    page = page_params(q)
    dates = {
        f"{column}_{side}": date_param(q, f"{column}[{side}]")
        for column in ("created_at", "updated_at")
        for side in ("before", "after")
    }
    return promotion_stacks.list_stacks(
        request.uow,
        request.project_id,
        campaign,
        order=choice_param(q, "order", STACK_ORDERS, "created_at"),
        limit=page.limit,
        offset=page.offset,
        dates=dates,
    )


@routes.get("/v1/promotions/stacks")
def list_stacks(request: ApiRequest) -> dict[str, Any]:
    """Every campaign's stacks."""
    return _stacks(request, None)


@routes.get("/v1/promotions/{campaignId}/stacks")
def list_campaign_stacks(request: ApiRequest) -> dict[str, Any]:
    """One campaign's stacks."""
    return _stacks(request, request.path["campaignId"])


@routes.post("/v1/promotions/{campaignId}/stacks")
def create_stack(request: ApiRequest) -> dict[str, Any]:
    """Create a stack of the campaign's tiers."""
    fields = given(request.json(StackCreate))
    campaign = request.path["campaignId"]
    return promotion_stacks.create(request.uow, request.project_id, campaign, fields)


@routes.get("/v1/promotions/{campaignId}/stacks/{stackId}")
def get_stack(request: ApiRequest) -> dict[str, Any]:
    """One stack."""
    path = request.path
    return promotion_stacks.get(
        request.uow, request.project_id, path["campaignId"], path["stackId"]
    )


@routes.put("/v1/promotions/{campaignId}/stacks/{stackId}")
def update_stack(request: ApiRequest) -> dict[str, Any]:
    """Change a stack's name, tiers or category."""
    fields = given(request.json(StackUpdate))
    path = request.path
    return promotion_stacks.update(
        request.uow, request.project_id, path["campaignId"], path["stackId"], fields
    )


@routes.delete("/v1/promotions/{campaignId}/stacks/{stackId}", status=204)
def delete_stack(request: ApiRequest) -> None:
    """Delete a stack."""
    path = request.path
    promotion_stacks.delete(request.uow, request.project_id, path["campaignId"], path["stackId"])
