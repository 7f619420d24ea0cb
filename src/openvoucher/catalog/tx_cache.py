"""What one transaction renders several times (event payloads, stored snapshots), once.

A redemption renders its voucher for the gift transaction event, the redemption row's snapshot
and the ``redemption.succeeded`` event, and reads its campaign for two of them. These helpers
keep the result in ``tx.memo`` for the rest of the transaction. Only for what the
transaction does not change after the first use: a voucher row is a new dict after every
change (``update_returning``), so a rendering is reused only for the very same row object;
campaigns are never changed by the commands that use ``campaign_view`` (redemptions,
rollbacks, gift-card ledger entries).
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.presenters.campaigns import simple_campaign
from openvoucher.catalog.presenters.vouchers import voucher
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.kernel.unit_of_work import Tx


def voucher_view(tx: Tx, row: dict[str, Any]) -> dict[str, Any]:
    """The voucher object of ``row``, rendered once per row object in this transaction."""
    key = ("voucher", row["id"])
    cached = tx.memo.get(key)
    if cached is not None and cached[0] is row:
        rendered: dict[str, Any] = cached[1]
        return rendered
    rendered = voucher(row, tx.base_url)
    tx.memo[key] = (row, rendered)
    return rendered


def campaign_view(tx: Tx, campaign_id: str | None) -> dict[str, Any] | None:
    """The ``SimpleCampaign`` of ``campaign_id`` (None for a standalone voucher), read once."""
    if campaign_id is None:
        return None
    key = ("campaign", campaign_id)
    if key not in tx.memo:
        found = CampaignRepository(tx.conn, tx.project_id).get(campaign_id)
        tx.memo[key] = simple_campaign(found) if found else None
    cached: dict[str, Any] | None = tx.memo[key]
    return cached


def remember_campaign(tx: Tx, row: dict[str, Any]) -> None:
    """Keep the campaign ``row`` this transaction just read for ``campaign_view`` (only
    when the transaction will not change that campaign any more)."""
    tx.memo.setdefault(("campaign", row["id"]), simple_campaign(row))


def voucher_event_data(tx: Tx, row: dict[str, Any]) -> dict[str, Any]:
    """``{voucher, campaign}`` as ``catalog.vouchers.event_data`` gives, from the memo."""
    return {"voucher": voucher_view(tx, row), "campaign": campaign_view(tx, row["campaign_id"])}
