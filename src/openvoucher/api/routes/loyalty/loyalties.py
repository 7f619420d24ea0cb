"""``/v1/loyalties``: programmes, members, points balance, transfers and card history."""

from __future__ import annotations

from typing import Any

import msgspec

from openvoucher.api.params import bool_param, choice_param, date_param, int_param, page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.campaigns import CampaignUpdate
from openvoucher.api.schemas.loyalties import (
    BalanceUpdate,
    ExportBody,
    LoyaltyCreate,
    MemberAdd,
    TransferItem,
    plain,
)
from openvoucher.api.schemas.vouchers import given
from openvoucher.catalog.repositories.vouchers import VoucherFilter
from openvoucher.gift_cards.presenters.transactions import transactions_list
from openvoucher.kernel.clock import iso
from openvoucher.kernel.idempotency import IdempotencyKey
from openvoucher.kernel.lists import listing
from openvoucher.loyalty import loyalty_members
from openvoucher.loyalty import programmes as loyalty
from openvoucher.platform import exports
from openvoucher.platform.presenters.exports import export

routes = Routes()

ORDERS = {"created_at", "-created_at", "updated_at", "-updated_at"}
MEMBER_ORDERS = ORDERS | {"code", "-code"}


def _campaign(request: ApiRequest) -> str | None:
    return request.path.get("campaignId")


@routes.post("/v1/loyalties")
def create_programme(request: ApiRequest) -> dict[str, Any]:
    """Create a loyalty programme (a ``LOYALTY_PROGRAM`` campaign)."""
    fields = given(request.json(LoyaltyCreate))
    return loyalty.create_programme(request.uow, request.project_id, fields, request.request_id)


@routes.get("/v1/loyalties")
def list_programmes(request: ApiRequest) -> dict[str, Any]:
    """A page of loyalty programmes."""
    page = page_params(request.query, max_page=100)
    order = choice_param(request.query, "order", ORDERS, "-created_at")
    rows, total = loyalty.list_programmes(
        request.uow, request.project_id, order=order, limit=page.limit, offset=page.offset
    )
    return listing(rows, total, "campaigns")


@routes.get("/v1/loyalties/{campaignId}")
def get_programme(request: ApiRequest) -> dict[str, Any]:
    """One programme, by id or name."""
    return loyalty.get_programme(request.uow, request.project_id, request.path["campaignId"])


@routes.put("/v1/loyalties/{campaignId}")
def update_programme(request: ApiRequest) -> dict[str, Any]:
    """Change the given fields of a programme; ``refresh_tiers=true`` (the dashboard's
    "Refresh tiers" option, an extension: the spec has no field for it) re-evaluates the
    members' tiers under the saved settings."""
    fields = given(request.json(CampaignUpdate))
    return loyalty.update_programme(
        request.uow,
        request.project_id,
        request.path["campaignId"],
        fields,
        refresh_tiers=bool_param(request.query, "refresh_tiers"),
    )


@routes.delete("/v1/loyalties/{campaignId}")
def delete_programme(request: ApiRequest) -> dict[str, Any]:
    """Queue the deletion of the programme and its cards; the programme goes to the bin unless
    ``force=true``."""
    binned = not bool_param(request.query, "force")
    ident = request.path["campaignId"]
    action = loyalty.delete_programme(
        request.uow, request.project_id, ident, request.request_id, binned=binned
    )
    return {"async_action_id": action}


@routes.post("/v1/loyalties/{campaignId}/members")
def add_member(request: ApiRequest) -> dict[str, Any]:
    """Publish a card of the programme to a customer (their existing one with join_once)."""
    fields = plain(request.json(MemberAdd))
    return loyalty.add_member(request.uow, request.project_id, request.path["campaignId"], fields)


@routes.get("/v1/loyalties/{campaignId}/members")
def list_members(request: ApiRequest) -> dict[str, Any]:
    """A page of the programme's cards."""
    q = request.query
    page = page_params(q, max_page=100)
    created = {k: date_param(q, f"created_at[{k}]") for k in ("before", "after")}
    updated = {k: date_param(q, f"updated_at[{k}]") for k in ("before", "after")}
    filters = VoucherFilter(
        code=q.get("code") or None,
        ids=tuple(q.getlist("ids")),
        created_before=created["before"],
        created_after=created["after"],
        updated_before=updated["before"],
        updated_after=updated["after"],
    )
    rows, total = loyalty.list_members(
        request.uow,
        request.project_id,
        request.path["campaignId"],
        filters,
        q.get("customer") or None,
        order=choice_param(q, "order", MEMBER_ORDERS, "-created_at"),
        limit=page.limit,
        offset=page.offset,
    )
    return listing(rows, total, "vouchers")


@routes.get("/v1/loyalties/{campaignId}/members/{memberId}")
@routes.get("/v1/loyalties/members/{memberId}")
def get_member(request: ApiRequest) -> dict[str, Any]:
    """One member's card (its code or id)."""
    return loyalty.get_member(
        request.uow, request.project_id, request.path["memberId"], _campaign(request)
    )


@routes.post("/v1/loyalties/{campaignId}/members/{memberId}/balance")
@routes.post("/v1/loyalties/members/{memberId}/balance")
def update_balance(request: ApiRequest) -> dict[str, Any]:
    """Add (``points`` > 0) or remove (< 0) points; ``Idempotency-Key`` honoured."""
    fields = plain(request.json(BalanceUpdate))
    member = request.path["memberId"]
    key = IdempotencyKey.of(
        request.headers.get("idempotency-key"),
        f"POST /v1/loyalties/members/{member}/balance",
        request.raw,
    )
    return loyalty_members.update_balance(
        request.uow, request.project_id, member, _campaign(request), fields, key
    )


@routes.post("/v1/loyalties/{campaignId}/members/{memberId}/transfers")
def transfer_points(request: ApiRequest) -> dict[str, Any]:
    """Move points from other cards of the programme into the member's card."""
    items = [msgspec.to_builtins(item) for item in request.json(list[TransferItem])]
    return loyalty_members.transfer(
        request.uow,
        request.project_id,
        request.path["campaignId"],
        request.path["memberId"],
        items,
    )


@routes.get("/v1/loyalties/{campaignId}/members/{memberId}/transactions")
@routes.get("/v1/loyalties/members/{memberId}/transactions")
def list_transactions(request: ApiRequest) -> dict[str, Any]:
    """The card's points transactions, newest first (``order=-id``) or oldest first."""
    limit = int_param(request.query, "limit", 10, low=1, high=100)
    order = choice_param(request.query, "order", {"id", "-id"}, "-id")
    rows, more = loyalty_members.transactions(
        request.uow,
        request.project_id,
        request.path["memberId"],
        _campaign(request),
        limit=limit,
        newest_first=order == "-id",
        after_id=request.query.get("starting_after_id") or None,
    )
    return transactions_list(rows, more)


@routes.post("/v1/loyalties/{campaignId}/members/{memberId}/transactions/export")
@routes.post("/v1/loyalties/members/{memberId}/transactions/export")
def export_transactions(request: ApiRequest) -> dict[str, Any]:
    """Schedule a CSV export of the card's transactions."""
    fields = plain(request.json(ExportBody))
    code = loyalty.get_member(
        request.uow, request.project_id, request.path["memberId"], _campaign(request)
    )["code"]
    row = exports.export_transactions(
        request.uow, request.project_id, code, fields, request.request_id
    )
    return export(row, request.uow.base_url)


@routes.get("/v1/loyalties/{campaignId}/members/{memberId}/activity")
@routes.get("/v1/loyalties/members/{memberId}/activity")
def list_activity(request: ApiRequest) -> dict[str, Any]:
    """The member's loyalty events (tiers, points added and expired, rewards)."""
    limit = int_param(request.query, "limit", 10, low=1, high=100)
    order = choice_param(request.query, "order", {"created_at", "-created_at"}, "-created_at")
    rows = loyalty_members.activity(
        request.uow,
        request.project_id,
        request.path["memberId"],
        _campaign(request),
        limit=limit,
        newest_first=order.startswith("-"),
    )
    data = [
        {"id": r["id"], "type": r["type"], "data": r["data"], "created_at": iso(r["created_at"])}
        for r in rows
    ]
    return {"object": "list", "data_ref": "data", "data": data}


@routes.get("/v1/loyalties/{campaignId}/members/{memberId}/points-expiration")
def list_points_expiration(request: ApiRequest) -> dict[str, Any]:
    """The card's buckets of expiring points, soonest first."""
    page = page_params(request.query, max_page=100)
    rows, total = loyalty_members.points_expiration(
        request.uow,
        request.project_id,
        request.path["campaignId"],
        request.path["memberId"],
        limit=page.limit,
        offset=page.offset,
    )
    return listing(rows, total)


@routes.get("/v1/loyalties/members/{memberId}/tiers")
def list_member_tiers(request: ApiRequest) -> dict[str, Any]:
    """The member's current tier (an empty list when in none)."""
    rows = loyalty.member_tiers(request.uow, request.project_id, request.path["memberId"])
    return listing(rows, len(rows))
