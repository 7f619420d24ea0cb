"""Balance objects, transactions and export cells rendered from ledger rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from openvoucher.gift_cards.presenters.transactions import (
    balance,
    event_balance,
    points_event_balance,
    transaction,
    transactions_list,
)
from openvoucher.platform.model import Export
from openvoucher.platform.presenters.export_rows import KINDS, csv_row
from openvoucher.platform.presenters.exports import download_url, export

WHEN = datetime(2024, 2, 9, 13, 27, 46, 844000, tzinfo=UTC)


def ledger_row(**overrides: Any) -> dict[str, Any]:
    """A stored CREDITS_REMOVAL row."""
    row = {
        "seq": 7,
        "id": "vtx_1",
        "voucher_id": "v_1",
        "campaign_id": None,
        "type": "CREDITS_REMOVAL",
        "amount": -2000,
        "balance_after": 121000,
        "source_id": "HR_removal",
        "source": "API",
        "reason": "removal",
        "related_transaction_id": None,
        "details": {"balance": balance("gift", "v_1", -2000, 128000, 121000, "MANUAL")},
        "created_at": WHEN,
    }
    return {**row, **overrides}


def test_manual_balance_has_operation_type() -> None:
    """A manual change names MANUAL; a redemption's leaves it out of the transaction, and the
    gift event's balance (which requires it, MANUAL only) says MANUAL (ADR 0063)."""
    manual = balance("gift", "v_1", 1200, 16200, 11500, "MANUAL")
    assert manual == {
        "amount": 1200,
        "total": 16200,
        "balance": 11500,
        "type": "gift_voucher",
        "operation_type": "MANUAL",
        "object": "balance",
        "related_object": {"type": "voucher", "id": "v_1"},
    }
    automatic = balance("gift", "v_1", -44, 128000, 120956, None)
    assert "operation_type" not in automatic
    assert event_balance({"balance": automatic})["operation_type"] == "MANUAL"


def test_points_event_balance_names_automatic_changes() -> None:
    """A loyalty event's balance says AUTOMATIC for what the server did, MANUAL stays MANUAL."""
    automatic = balance("loyalty", "v_1", 30, 130, 130, None)
    assert points_event_balance({"balance": automatic})["operation_type"] == "AUTOMATIC"
    manual = balance("loyalty", "v_1", 30, 130, 130, "MANUAL")
    assert points_event_balance({"balance": manual})["operation_type"] == "MANUAL"


def test_transaction_renders_every_field() -> None:
    """A ledger row becomes a VoucherTransaction with an ISO timestamp."""
    body = transaction(ledger_row())
    assert body["created_at"] == "2024-02-09T13:27:46.844Z"
    assert (body["type"], body["source_id"], body["reason"]) == (
        "CREDITS_REMOVAL",
        "HR_removal",
        "removal",
    )
    assert body["details"]["balance"]["balance"] == 121000
    assert "seq" not in body


def test_list_points_at_the_last_row_when_more_follow() -> None:
    """has_more adds more_starting_after (the last id); the last page has none."""
    rows = [ledger_row(id="vtx_2"), ledger_row(id="vtx_1")]
    assert transactions_list(rows, True)["more_starting_after"] == "vtx_1"
    assert "more_starting_after" not in transactions_list(rows, False)


def test_export_cells_and_url() -> None:
    """Balance is the balance after; details is compact JSON; None is empty; URL has the token."""
    row = ledger_row(campaign_id=None)
    kind = KINDS["voucher_transactions"]
    balance, amount, campaign, details = csv_row(
        kind, row, ["balance", "amount", "campaign_id", "details"], ""
    )
    assert (balance, amount, campaign) == ("121000", "-2000", "")
    assert details.startswith('{"balance":{"amount":-2000,')
    item = Export("exp_1", "x", "SCHEDULED", "API", {}, "t0k", WHEN)
    assert download_url("http://h", item) == "http://h/v1/exports/exp_1?token=t0k"
    pending = export(item, "")
    assert pending["result"] is None
