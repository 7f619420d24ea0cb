"""A card's ledger: ``/v1/vouchers/{code}/transactions`` and its CSV export."""

from __future__ import annotations

from typing import Any

import msgspec

from openvoucher.api.params import choice_param, int_param
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.balances import TransactionsExport
from openvoucher.presenters.exports import export
from openvoucher.presenters.transactions import transactions_list
from openvoucher.services import exports, transactions

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
