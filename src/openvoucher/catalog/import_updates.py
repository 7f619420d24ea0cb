"""Re-importing standalone codes by CSV updates them (spec ``POST /v1/vouchers/importCSV``:
"You cannot import the same codes … You can, however, upload the same codes to update them").

A row whose code is a standalone voucher already in the project changes that voucher: every
non-empty cell of the row (value, category, dates, limits, redeemed figures, active,
additional info, metadata keys) replaces what the voucher had; empty cells leave it as it was.
The type cannot change, and a campaign's code is not a standalone code (both: the row fails).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openvoucher.catalog.domain.imports import RowError
from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.kernel.unit_of_work import Tx

PLAIN = {
    "category": "category_id",
    "start_date": "start_date",
    "expiration_date": "expiration_date",
    "redemption": "redemption_quantity",
    "redeemed_quantity": "redeemed_quantity",
    "active": "active",
}
"""Item field → the voucher column it sets (from the row the import built)."""


def updated_values(
    existing: dict[str, Any], item: dict[str, Any], built: dict[str, Any], now: Any
) -> dict[str, Any]:
    """The columns of ``existing`` a re-imported row changes (RowError when it cannot)."""
    if existing["campaign_id"] is not None:
        raise RowError("code", f"Voucher with code {existing['code']} belongs to a campaign")
    if existing["type"] != built["type"]:
        raise RowError("type", f"the voucher is a {existing['type']}; its type cannot change")
    values = {column: built[column] for name, column in PLAIN.items() if name in item}
    values["attrs"] = _attrs(existing["attrs"], item, built["attrs"])
    values.update(_balances(existing, item, built))
    values["updated_at"] = now
    return values


def _attrs(current: dict[str, Any], item: dict[str, Any], built: dict[str, Any]) -> Any:
    attrs = dict(current)
    if item.get("discount") is not None and "discount" in built:
        attrs["discount"] = built["discount"]
    if "additional_info" in item:
        attrs["additional_info"] = built.get("additional_info")
    if item.get("metadata"):
        attrs["metadata"] = {**(current.get("metadata") or {}), **built["metadata"]}
    return attrs


def _balances(existing: dict[str, Any], item: dict[str, Any], built: dict[str, Any]) -> Any:
    """A gift card's amount and balance (its spent part kept unless Redeemed Amount says);
    a loyalty card's points."""
    values: dict[str, Any] = {}
    if existing["type"] == "GIFT_VOUCHER" and (item.get("gift") or "redeemed_amount" in item):
        amount = int(built["gift_amount"] if item.get("gift") else existing["gift_amount"] or 0)
        spent = int(existing["gift_amount"] or 0) - int(existing["gift_balance"] or 0)
        if "redeemed_amount" in item:
            spent = int(item["redeemed_amount"])
        if spent > amount:
            raise RowError("redeemed_amount", "must be between 0 and the gift amount")
        values.update(gift_amount=amount, gift_balance=amount - spent)
    if existing["type"] == "LOYALTY_CARD" and item.get("loyalty_card"):
        values.update(
            loyalty_points=built["loyalty_points"], loyalty_balance=built["loyalty_points"]
        )
    return values


def update_existing(
    tx: Tx, existing: dict[str, Any], item: dict[str, Any], built: dict[str, Any]
) -> None:
    """Apply a re-imported row to the voucher it names (RowError: nothing changes)."""
    values = updated_values(existing, item, built, tx.now)
    VoucherRepository(tx.conn, tx.project_id).update(existing["id"], values)


@dataclass
class Updates:
    """A standalone CSV import: its items by code, and the built row id → the id of the
    existing voucher each re-imported code updated (see ``catalog.import_updates``)."""

    items: dict[str, dict[str, Any]]
    done: dict[str, str]


def updated(
    tx: Tx, code: str, row: dict[str, Any], updates: Updates | None, binned: set[str]
) -> RowError | None:
    """Update the existing voucher ``code`` from its re-imported row; the error, if any."""
    if updates is None or code in binned:
        return RowError("code", f"Voucher with code {code} already exists")
    existing = VoucherRepository(tx.conn, tx.project_id).get_by_code(code)
    if existing is None:
        return RowError("code", f"Voucher with code {code} already exists")
    try:
        update_existing(tx, existing, updates.items[code], row)
    except RowError as error:
        return error
    updates.done[row["id"]] = existing["id"]
    return None
