"""``/v2/loyalties/programs/{programId}/members``, memberships, and a member's cards."""

from __future__ import annotations

from typing import Any

from openvoucher.api.params import choice_param, int_param, invalid_query
from openvoucher.api.routes.loyalty_v2.params import report_window
from openvoucher.api.routing import ApiRequest, Reply, Routes
from openvoucher.api.schemas.loyalty_v2 import (
    AdjustPoints,
    MemberBatch,
    MemberCreate,
    MemberUpdate,
    OrderPayment,
)
from openvoucher.api.schemas.vouchers import given
from openvoucher.loyalty.v2 import card_buckets, cards, member_jobs, members, payments, reports

routes = Routes()
BASE = "/v2/loyalties/programs/{programId}/members"
ONE = BASE + "/{memberId}"
CARD = ONE + "/cards/{cardId}"


def _ids(request: ApiRequest) -> tuple[str, str]:
    return request.path["programId"], request.path["memberId"]


def _card(request: ApiRequest) -> tuple[str, str, str]:
    return request.path["programId"], request.path["memberId"], request.path["cardId"]


def _newest(request: ApiRequest) -> bool:
    return choice_param(request.query, "order", {"created_at", "-created_at"}, "-created_at") != (
        "created_at"
    )


def _limit(request: ApiRequest) -> int:
    return int_param(request.query, "limit", 10, low=1, high=100)


@routes.post(BASE)
def create_member(request: ApiRequest) -> dict[str, Any]:
    """Make a customer a member of an active programme: one card per wallet."""
    fields = given(request.json(MemberCreate))
    return members.create(request.uow, request.project_id, request.path["programId"], fields)


@routes.post(BASE + "/batch", status=202)
def batch_create_members(request: ApiRequest) -> dict[str, Any]:
    """Make many members at once, as an async action (each one or its error)."""
    items = request.json(MemberBatch)
    return member_jobs.queue(
        request.uow,
        request.project_id,
        request.path["programId"],
        [given(item) for item in items],
        request.request_id,
    )


@routes.get(BASE)
def list_members(request: ApiRequest) -> dict[str, Any]:
    """A page of the programme's members."""
    return members.list_members(
        request.uow,
        request.project_id,
        request.path["programId"],
        request.query.get("cursor"),
        _limit(request),
        _newest(request),
    )


@routes.get(ONE)
def get_member(request: ApiRequest) -> dict[str, Any]:
    """A member with its cards."""
    return members.get(request.uow, request.project_id, *_ids(request))


@routes.put(ONE)
def update_member(request: ApiRequest) -> dict[str, Any]:
    """Replace a member's metadata."""
    fields = given(request.json(MemberUpdate))
    return members.update(request.uow, request.project_id, *_ids(request), fields)


@routes.delete(ONE)
def delete_member(request: ApiRequest) -> dict[str, Any]:
    """Remove a member from the programme; the deleted member."""
    return members.set_status(request.uow, request.project_id, *_ids(request), "DELETED")


@routes.post(ONE + "/activate")
def activate_member(request: ApiRequest) -> dict[str, Any]:
    """INACTIVE → ACTIVE."""
    return members.set_status(request.uow, request.project_id, *_ids(request), "ACTIVE")


@routes.post(ONE + "/deactivate")
def deactivate_member(request: ApiRequest) -> dict[str, Any]:
    """ACTIVE → INACTIVE."""
    return members.set_status(request.uow, request.project_id, *_ids(request), "INACTIVE")


@routes.get("/v2/loyalties/memberships/{customerId}")
def customer_memberships(request: ApiRequest) -> dict[str, Any]:
    """Every programme the customer is a member of, with the cards."""
    return members.memberships(request.uow, request.project_id, request.path["customerId"])


@routes.post(CARD + "/points")
def adjust_card_points(request: ApiRequest) -> dict[str, Any]:
    """Add or remove points on a card (never below zero)."""
    fields = given(request.json(AdjustPoints))
    return cards.adjust(request.uow, request.project_id, _card(request), fields)


@routes.get(CARD + "/transactions")
def list_card_transactions(request: ApiRequest) -> dict[str, Any]:
    """A page of the card's points transactions."""
    return cards.transactions(
        request.uow,
        request.project_id,
        _card(request),
        request.query.get("cursor"),
        _limit(request),
        _newest(request),
    )


@routes.post(ONE + "/orders/payments")
def pay_order_with_points(request: ApiRequest) -> Reply:
    """Pay an order with a card's points (DRY_RUN: 200, nothing written; else 202)."""
    fields = given(request.json(OrderPayment))
    body, status = payments.pay(request.uow, request.project_id, *_ids(request), fields)
    return Reply(body, status)


@routes.get(ONE + "/orders/payments")
def list_order_payments(request: ApiRequest) -> dict[str, Any]:
    """A page of the member's order payments, newest first."""
    return payments.payments(
        request.uow,
        request.project_id,
        *_ids(request),
        request.query.get("cursor"),
        _limit(request),
    )


@routes.get(CARD + "/pending-points")
def list_card_pending_points(request: ApiRequest) -> dict[str, Any]:
    """The card's pending points, oldest first."""
    return card_buckets.list_pending(
        request.uow,
        request.project_id,
        _card(request),
        request.query.get("cursor"),
        _limit(request),
    )


@routes.post(CARD + "/pending-points/{bucketId}/activate")
def activate_card_pending_points(request: ApiRequest) -> dict[str, Any]:
    """Activate pending points now."""
    entry = request.path["bucketId"]
    return card_buckets.activate(request.uow, request.project_id, _card(request), entry)


@routes.post(CARD + "/pending-points/{bucketId}/cancel")
def cancel_card_pending_points(request: ApiRequest) -> dict[str, Any]:
    """Cancel pending points: they never reach the balance."""
    entry = request.path["bucketId"]
    return card_buckets.cancel(request.uow, request.project_id, _card(request), entry)


@routes.get(CARD + "/expiring-points")
def list_card_expiring_points(request: ApiRequest) -> dict[str, Any]:
    """The card's buckets of points that expire, soonest first."""
    return card_buckets.list_expiring(
        request.uow,
        request.project_id,
        _card(request),
        request.query.get("cursor"),
        _limit(request),
    )


@routes.post(CARD + "/expiring-points/{bucketId}/expire")
def expire_card_points_bucket(request: ApiRequest) -> dict[str, Any]:
    """Expire one bucket of points now, before its date."""
    bucket = request.path["bucketId"]
    return card_buckets.expire(request.uow, request.project_id, _card(request), bucket)


@routes.get(ONE + "/activities")
def list_member_activities(request: ApiRequest) -> dict[str, Any]:
    """What happened to a member, newest first."""
    path = (request.path["programId"], request.path["memberId"], None)
    cursor = request.query.get("cursor")
    return members.activities(request.uow, request.project_id, path, cursor, _limit(request))


@routes.get(CARD + "/activities")
def list_card_activities(request: ApiRequest) -> dict[str, Any]:
    """What happened to a member's card, newest first."""
    cursor = request.query.get("cursor")
    return members.activities(
        request.uow, request.project_id, _card(request), cursor, _limit(request)
    )


@routes.get("/v2/loyalties/programs/{programId}/memberships/{customerId}")
def program_membership(request: ApiRequest) -> dict[str, Any]:
    """The customer's membership of the programme, with the cards."""
    return members.membership(
        request.uow, request.project_id, request.path["programId"], request.path["customerId"]
    )


@routes.get(CARD + "/reports/daily")
def card_daily_report(request: ApiRequest) -> dict[str, Any]:
    """The card's points changes per day, week, month or quarter."""
    window = report_window(request)
    return reports.card_report(request.uow, request.project_id, _card(request), window)


def _no_filters(request: ApiRequest) -> None:
    if any(key.startswith("filters") for key in request.query):
        raise invalid_query("report filters are not supported")


@routes.get("/v2/loyalties/programs/{programId}/reports/spending/summary")
def spending_summary(request: ApiRequest) -> dict[str, Any]:
    """Points spent in the programme per wallet, on orders and rewards."""
    _no_filters(request)
    return reports.spending(request.uow, request.project_id, request.path["programId"], None)


@routes.get("/v2/loyalties/programs/{programId}/reports/spending/daily")
def spending_daily(request: ApiRequest) -> dict[str, Any]:
    """Points spent in the programme per wallet and period."""
    _no_filters(request)
    window = report_window(request)
    return reports.spending(request.uow, request.project_id, request.path["programId"], window)
