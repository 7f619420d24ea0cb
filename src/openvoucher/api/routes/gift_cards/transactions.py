"""The ledger of a card (``/v1/vouchers/{code}/transactions``) or of a campaign's cards, and
their CSV exports (also a programme's points expirations)."""

from __future__ import annotations

from typing import Any

import msgspec

from openvoucher.api.filters import filters_param
from openvoucher.api.params import choice_param, int_param
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.balances import TransactionsExport
from openvoucher.api.schemas.exports import ParametersBody, given_parameters
from openvoucher.gift_cards import transactions
from openvoucher.gift_cards.presenters.transactions import transactions_list
from openvoucher.gift_cards.repositories.voucher_transactions import CAMPAIGN_FILTERS
from openvoucher.platform import exports
from openvoucher.platform.presenters.exports import export

routes = Routes()


@routes.get("/v1/vouchers/{code}/transactions")
def list_transactions(request: ApiRequest) -> dict[str, Any]:
    """Newest first (``order=-id``, the default) or oldest first (``order=id``)."""
    limit = int_param(request.query, "limit", 10, low=1, high=100)
    order = choice_param(request.query, "order", {"id", "-id"}, "-id")
    rows, more = transactions.page(
        request.uow,
        request.project_id,
        request.path["code"],
        limit=limit,
        newest_first=order == "-id",
        after_id=request.query.get("starting_after_id") or None,
    )
    return transactions_list(rows, more)


@routes.post("/v1/vouchers/{code}/transactions/export")
def export_transactions(request: ApiRequest) -> dict[str, Any]:
    """Schedule a CSV export of the card's transactions (``GET /v1/exports/{id}`` follows it)."""
    fields = msgspec.to_builtins(request.json(TransactionsExport))
    row = exports.export_transactions(
        request.uow, request.project_id, request.path["code"], fields, request.request_id
    )
    return export(row, request.uow.base_url)


def _campaign_transactions(request: ApiRequest, *, loyalty_only: bool) -> dict[str, Any]:
    limit = int_param(request.query, "limit", 10, low=1, high=100)
    order = choice_param(request.query, "order", {"id", "-id"}, "-id")
    rows, more = transactions.campaign_page(
        request.uow,
        request.project_id,
        request.path["campaignId"],
        filters_param(request.query, CAMPAIGN_FILTERS),
        loyalty_only=loyalty_only,
        limit=limit,
        newest_first=order == "-id",
        after_id=request.query.get("starting_after_id") or None,
    )
    return transactions_list(rows, more)


@routes.get("/v1/campaigns/{campaignId}/transactions")
def list_campaign_transactions(request: ApiRequest) -> dict[str, Any]:
    """Transactions of every card of a gift or loyalty campaign, newest first (``-id``)."""
    return _campaign_transactions(request, loyalty_only=False)


@routes.get("/v1/loyalties/{campaignId}/transactions")
def list_programme_transactions(request: ApiRequest) -> dict[str, Any]:
    """Transactions of every card of a loyalty programme, newest first (``-id``)."""
    return _campaign_transactions(request, loyalty_only=True)


def _export(request: ApiRequest, exported_object: str, *, loyalty_only: bool) -> dict[str, Any]:
    row = transactions.export_campaign(
        request.uow,
        request.project_id,
        request.path["campaignId"],
        exported_object,
        given_parameters(request.json(ParametersBody)),
        request.request_id,
        loyalty_only=loyalty_only,
    )
    return export(row, request.uow.base_url)


@routes.post("/v1/campaigns/{campaignId}/transactions/export")
def export_campaign_transactions(request: ApiRequest) -> dict[str, Any]:
    """Schedule a CSV of the transactions of every card of the campaign."""
    return _export(request, "voucher_transactions", loyalty_only=False)


@routes.post("/v1/loyalties/{campaignId}/transactions/export")
def export_programme_transactions(request: ApiRequest) -> dict[str, Any]:
    """Schedule a CSV of the transactions of every card of the loyalty programme."""
    return _export(request, "voucher_transactions", loyalty_only=True)


@routes.post("/v1/loyalties/{campaignId}/points-expiration/export")
def export_points_expiration(request: ApiRequest) -> dict[str, Any]:
    """Schedule a CSV of the programme's point buckets that expire (ACTIVE or EXPIRED)."""
    return _export(request, "points_expiration", loyalty_only=True)
