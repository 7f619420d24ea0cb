"""``/v1/referrals/[{campaignId}/]members/{memberId}/holders``: a referral code's holders."""

from __future__ import annotations

from typing import Any

import msgspec

from openvoucher.api.filters import filters_param
from openvoucher.api.params import choice_param, int_param
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.customers import CustomerCreate
from openvoucher.api.schemas.vouchers import given
from openvoucher.referrals import referral_holders
from openvoucher.referrals.model import HolderQuery
from openvoucher.referrals.repositories.referrals import HOLDER_FIELDS

routes = Routes()


class HoldersAdd(msgspec.Struct, kw_only=True):
    """``POST …/holders``: the customers to add as referees."""

    holders: list[CustomerCreate]
    metadata: dict[str, Any] | None = None
    """Attached to each holder added (checked against the publication metadata schema)."""


@routes.post("/v1/referrals/{campaignId}/members/{memberId}/holders")
@routes.post("/v1/referrals/members/{memberId}/holders")
def add_holders(request: ApiRequest) -> dict[str, Any]:
    """Add referees to the code (customers upserted)."""
    body = request.json(HoldersAdd)
    return referral_holders.add(
        request.uow,
        request.project_id,
        request.path["memberId"],
        request.path.get("campaignId"),
        [given(spec) for spec in body.holders],
        body.metadata,
    )


@routes.get("/v1/referrals/{campaignId}/members/{memberId}/holders")
@routes.get("/v1/referrals/members/{memberId}/holders")
def list_holders(request: ApiRequest) -> dict[str, Any]:
    """A page of the code's holders."""
    q = request.query
    query = HolderQuery(
        limit=int_param(q, "limit", 10, low=1, high=100),
        order=choice_param(q, "order", {"id", "-id"}, "id"),
        filters=filters_param(q, HOLDER_FIELDS),
        starting_after_id=q.get("starting_after_id") or None,
    )
    return referral_holders.page(
        request.uow,
        request.project_id,
        request.path["memberId"],
        request.path.get("campaignId"),
        query,
    )


@routes.delete("/v1/referrals/{campaignId}/members/{memberId}/holders/{holderId}")
@routes.delete("/v1/referrals/members/{memberId}/holders/{holderId}")
def remove_holder(request: ApiRequest) -> None:
    """Remove a referee from the code."""
    referral_holders.remove(
        request.uow,
        request.project_id,
        request.path["memberId"],
        request.path.get("campaignId"),
        request.path["holderId"],
    )
