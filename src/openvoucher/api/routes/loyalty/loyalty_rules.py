"""``/v1/loyalties/{campaignId}/earning-rules`` and ``/tiers``."""

from __future__ import annotations

from typing import Any

from openvoucher.api.lists import programme_listing
from openvoucher.api.params import page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.loyalties import EarningRuleBody, TierBody, plain
from openvoucher.kernel.lists import listing
from openvoucher.loyalty import earning_rules, tier_offers, tiers

routes = Routes()


@routes.post("/v1/loyalties/{campaignId}/earning-rules")
def create_earning_rules(request: ApiRequest) -> list[dict[str, Any]]:
    """Add earning rules (a list) to the programme."""
    items = [plain(item) for item in request.json(list[EarningRuleBody])]
    return earning_rules.create(request.uow, request.project_id, request.path["campaignId"], items)


@routes.get("/v1/loyalties/{campaignId}/earning-rules")
def list_earning_rules(request: ApiRequest) -> dict[str, Any]:
    """A page of the programme's earning rules."""
    return programme_listing(request, earning_rules.list_rules)


@routes.get("/v1/loyalties/{campaignId}/earning-rules/{earningRuleId}")
def get_earning_rule(request: ApiRequest) -> dict[str, Any]:
    """One earning rule."""
    path = request.path
    return earning_rules.get(
        request.uow, request.project_id, path["campaignId"], path["earningRuleId"]
    )


@routes.put("/v1/loyalties/{campaignId}/earning-rules/{earningRuleId}")
def update_earning_rule(request: ApiRequest) -> dict[str, Any]:
    """Change the given fields of an earning rule."""
    path = request.path
    fields = plain(request.json(EarningRuleBody))
    return earning_rules.update(
        request.uow, request.project_id, path["campaignId"], path["earningRuleId"], fields
    )


@routes.delete("/v1/loyalties/{campaignId}/earning-rules/{earningRuleId}")
def delete_earning_rule(request: ApiRequest) -> None:
    """Remove an earning rule."""
    path = request.path
    earning_rules.delete(request.uow, request.project_id, path["campaignId"], path["earningRuleId"])


@routes.post("/v1/loyalties/{campaignId}/earning-rules/{earningRuleId}/enable")
def enable_earning_rule(request: ApiRequest) -> dict[str, Any]:
    """Turn an earning rule on."""
    path = request.path
    return earning_rules.set_active(
        request.uow, request.project_id, path["campaignId"], path["earningRuleId"], True
    )


@routes.post("/v1/loyalties/{campaignId}/earning-rules/{earningRuleId}/disable")
def disable_earning_rule(request: ApiRequest) -> dict[str, Any]:
    """Turn an earning rule off."""
    path = request.path
    return earning_rules.set_active(
        request.uow, request.project_id, path["campaignId"], path["earningRuleId"], False
    )


@routes.post("/v1/loyalties/{campaignId}/tiers")
def create_tiers(request: ApiRequest) -> list[dict[str, Any]]:
    """Add tiers (a list of points ranges) to the programme."""
    items = [plain(item) for item in request.json(list[TierBody])]
    return tiers.create(request.uow, request.project_id, request.path["campaignId"], items)


@routes.get("/v1/loyalties/{campaignId}/tiers")
def list_tiers(request: ApiRequest) -> dict[str, Any]:
    """The programme's tiers, lowest range first."""
    return programme_listing(request, tiers.list_tiers)


@routes.get("/v1/loyalties/{campaignId}/tiers/{loyaltyTierId}")
def get_tier(request: ApiRequest) -> dict[str, Any]:
    """One tier."""
    path = request.path
    return tiers.get(request.uow, request.project_id, path["campaignId"], path["loyaltyTierId"])


@routes.put("/v1/loyalties/{campaignId}/tiers/{loyaltyTierId}")
def update_tier(request: ApiRequest) -> dict[str, Any]:
    """Change a tier's name, range, mappings or metadata; members move accordingly."""
    path = request.path
    fields = plain(request.json(TierBody))
    return tiers.change(
        request.uow, request.project_id, path["campaignId"], path["loyaltyTierId"], fields
    )


@routes.delete("/v1/loyalties/{campaignId}/tiers/{loyaltyTierId}")
def delete_tier(request: ApiRequest) -> None:
    """Remove a tier; its members move to the tier their balance fits."""
    path = request.path
    tiers.remove(request.uow, request.project_id, path["campaignId"], path["loyaltyTierId"])


@routes.get("/v1/loyalties/{campaignId}/tiers/{loyaltyTierId}/earning-rules")
def list_tier_earning_rules(request: ApiRequest) -> dict[str, Any]:
    """The programme's earning rules with the points the tier's members earn (``limit``,
    ``page``)."""
    path = request.path
    page = page_params(request.query, max_page=100)
    rows, total = tier_offers.earning_rules(
        request.uow,
        request.project_id,
        path["campaignId"],
        path["loyaltyTierId"],
        limit=page.limit,
        offset=page.offset,
    )
    return listing(rows, total)


@routes.get("/v1/loyalties/{campaignId}/tiers/{loyaltyTierId}/rewards")
def list_tier_rewards(request: ApiRequest) -> dict[str, Any]:
    """The programme's rewards at the points the tier's members pay."""
    path = request.path
    rows = tier_offers.rewards(
        request.uow, request.project_id, path["campaignId"], path["loyaltyTierId"]
    )
    return listing(rows, len(rows))
