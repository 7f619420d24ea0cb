"""The credits ledger through its use case: adding and removing a gift card's credits."""

from __future__ import annotations

import pytest

from openvoucher.catalog import vouchers
from openvoucher.gift_cards import credits
from openvoucher.gift_cards.model import BalanceChange
from openvoucher.kernel.errors import VoucherifyError
from tests.support.contexts import Context


def test_balance_changes_add_and_remove_credits(ctx: Context) -> None:
    """Adding 500 and removing 200 credits leaves a 1000 card at 1300 (amount and balance)."""
    card = {"type": "GIFT_VOUCHER", "gift": {"amount": 1000}}
    vouchers.create(ctx.uow, ctx.project_id, card, code="GIFT-1")
    credits.update_balance(ctx.uow, ctx.project_id, "GIFT-1", BalanceChange(500))
    credits.update_balance(ctx.uow, ctx.project_id, "GIFT-1", BalanceChange(-200))
    gift = vouchers.get(ctx.uow, ctx.project_id, "GIFT-1")["gift"]
    assert (gift["amount"], gift["balance"]) == (1300, 1300)


def test_zero_change_is_refused(ctx: Context) -> None:
    """A balance change of 0 is refused and changes nothing."""
    card = {"type": "GIFT_VOUCHER", "gift": {"amount": 1000}}
    vouchers.create(ctx.uow, ctx.project_id, card, code="GIFT-2")
    with pytest.raises(VoucherifyError):
        credits.update_balance(ctx.uow, ctx.project_id, "GIFT-2", BalanceChange(0))
    assert vouchers.get(ctx.uow, ctx.project_id, "GIFT-2")["gift"]["balance"] == 1000
