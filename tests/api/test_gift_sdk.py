"""The official Python SDK adjusts a gift card, lists its ledger and follows an export."""

from __future__ import annotations

import time

import voucherify
from voucherify.api.exports_api import ExportsApi
from voucherify.api.vouchers_api import VouchersApi
from voucherify.models import (
    Gift,
    ParameterOrderListTransactions,
    VouchersBalanceUpdateRequestBody,
    VouchersCreateWithSpecificCodeRequestBody,
    VouchersTransactionsExportCreateRequestBody,
)


def test_sdk_gift_ledger(sdk: voucherify.ApiClient) -> None:
    """Balance update, transactions list and export parse into the SDK's strict models."""
    vouchers = VouchersApi(sdk)
    vouchers.create_voucher(
        "SDK-CARD",
        VouchersCreateWithSpecificCodeRequestBody(type="GIFT_VOUCHER", gift=Gift(amount=3000)),
    )
    added = vouchers.update_voucher_balance(
        "SDK-CARD", VouchersBalanceUpdateRequestBody(amount=1500, reason="birthday")
    )
    assert (added.amount, added.total, added.balance) == (1500, 4500, 4500)
    assert (added.type, added.operation_type, added.object) == ("gift_voucher", "MANUAL", "balance")
    removed = vouchers.update_voucher_balance(
        "SDK-CARD", VouchersBalanceUpdateRequestBody(amount=-500)
    )
    assert (removed.amount, removed.total, removed.balance) == (-500, 4000, 4000)
    listed = vouchers.list_voucher_transactions(
        "SDK-CARD", limit=1, order=ParameterOrderListTransactions("-id")
    )
    assert listed.has_more is True
    assert listed.data is not None
    assert listed.data[0].type == "CREDITS_REMOVAL"
    assert listed.data[0].details.balance.balance == 4000
    scheduled = vouchers.export_voucher_transactions(
        "SDK-CARD", VouchersTransactionsExportCreateRequestBody()
    )
    assert scheduled.status == "SCHEDULED"
    exports = ExportsApi(sdk)
    deadline = time.monotonic() + 20
    got = exports.get_export(scheduled.id)
    while got.status != "DONE" and time.monotonic() < deadline:
        time.sleep(0.05)
        got = exports.get_export(scheduled.id)
    assert got.status == "DONE"
    assert got.exported_object == "voucher_transactions"
    assert got.result.url.endswith(f"/v1/exports/{scheduled.id}?token=" + got.result.url[-32:])
