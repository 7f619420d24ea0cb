"""Reading the ledger: a card's (``/v1/vouchers/{code}/transactions``) or a campaign's
(``/v1/campaigns/{id}/transactions``, ``/v1/loyalties/{id}/transactions``), and their exports."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import campaigns, vouchers
from openvoucher.gift_cards.repositories.voucher_transactions import (
    VoucherTransactionRepository,
)
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import programmes as loyalty
from openvoucher.platform import exports
from openvoucher.platform.model import Export


def page(
    uow: UnitOfWork,
    project_id: str,
    code: str,
    *,
    limit: int,
    newest_first: bool,
    after_id: str | None,
) -> tuple[list[dict[str, Any]], bool]:
    """A page of a card's transactions (gift or loyalty) and whether more follow."""
    with uow.read(project_id) as tx:
        voucher = vouchers.require(tx, code)
        repo = VoucherTransactionRepository(tx.conn, tx.project_id)
        return repo.page(voucher["id"], limit=limit, newest_first=newest_first, after_id=after_id)


def campaign_page(
    uow: UnitOfWork,
    project_id: str,
    ident: str,
    filters: Filters,
    *,
    loyalty_only: bool,
    limit: int,
    newest_first: bool,
    after_id: str | None,
) -> tuple[list[dict[str, Any]], bool]:
    """A page of the transactions of every card of a campaign (by id or name) and whether
    more follow; ``loyalty_only``: the campaign must be a loyalty programme (404 otherwise)."""
    with uow.read(project_id) as tx:
        campaign = _campaign(tx, ident, loyalty_only)
        repo = VoucherTransactionRepository(tx.conn, tx.project_id)
        return repo.campaign_page(
            campaign["id"],
            filters,
            tx.now,
            limit=limit,
            newest_first=newest_first,
            after_id=after_id,
        )


def _campaign(tx: Tx, ident: str, loyalty_only: bool) -> dict[str, Any]:
    if loyalty_only:
        return loyalty.require_programme(tx, ident)
    return campaigns.require(tx, ident)


def export_campaign(
    uow: UnitOfWork,
    project_id: str,
    ident: str,
    exported_object: str,
    given: dict[str, Any],
    request_id: str,
    *,
    loyalty_only: bool,
) -> Export:
    """Schedule a CSV of a campaign's card transactions or points expirations; the export."""
    with uow.write(project_id) as tx:
        campaign = _campaign(tx, ident, loyalty_only)
        return exports.export_campaign(tx, exported_object, campaign["id"], given, request_id)
