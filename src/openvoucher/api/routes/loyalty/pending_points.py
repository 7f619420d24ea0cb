"""``/v1/loyalties/…/pending-points``: list, activate, adjust and cancel pending points."""

from __future__ import annotations

from typing import Any

from openvoucher.api.params import choice_param, int_param
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.loyalties import PendingPointsAdjust
from openvoucher.loyalty import pending_points
from openvoucher.loyalty.presenters.pending_points import pending_list

routes = Routes()

BASE = "/v1/loyalties/members/{memberId}/pending-points/{pendingPointsId}"


def _page(request: ApiRequest) -> dict[str, Any]:
    order = choice_param(request.query, "order", {"id", "-id"}, "-id")
    return {
        "limit": int_param(request.query, "limit", 10, low=1, high=100),
        "newest_first": order == "-id",
        "after_id": request.query.get("starting_after_id") or None,
    }


@routes.get("/v1/loyalties/{campaignId}/pending-points")
def list_programme_pending_points(request: ApiRequest) -> dict[str, Any]:
    """The programme's pending points entries (newest first by default)."""
    rows, more = pending_points.list_for_programme(
        request.uow, request.project_id, request.path["campaignId"], **_page(request)
    )
    return pending_list(rows, more)


@routes.get("/v1/loyalties/{campaignId}/members/{memberId}/pending-points")
@routes.get("/v1/loyalties/members/{memberId}/pending-points")
def list_member_pending_points(request: ApiRequest) -> dict[str, Any]:
    """The card's pending points entries (newest first by default)."""
    rows, more = pending_points.list_for_member(
        request.uow,
        request.project_id,
        request.path["memberId"],
        request.path.get("campaignId"),
        **_page(request),
    )
    return pending_list(rows, more)


@routes.post(BASE + "/activate")
def activate_pending_points(request: ApiRequest) -> dict[str, Any]:
    """Move the entry's points into the card's balance now."""
    path = request.path
    return pending_points.activate_member_entry(
        request.uow, request.project_id, path["memberId"], path["pendingPointsId"]
    )


@routes.post(BASE + "/balance")
def adjust_pending_points(request: ApiRequest) -> dict[str, Any]:
    """Add (``points`` > 0) or subtract (< 0) points of the entry."""
    body = request.json(PendingPointsAdjust)
    path = request.path
    return pending_points.adjust_member_entry(
        request.uow, request.project_id, path["memberId"], path["pendingPointsId"], body.points
    )


@routes.post(BASE + "/cancel")
def cancel_pending_points(request: ApiRequest) -> None:
    """Cancel the entry: its points never reach the balance."""
    path = request.path
    pending_points.cancel_member_entry(
        request.uow, request.project_id, path["memberId"], path["pendingPointsId"]
    )
