"""Vouchers through their use cases: create, read, and a code that is taken."""

from __future__ import annotations

import pytest

from openvoucher.catalog import vouchers
from openvoucher.kernel.errors import DuplicateFound
from tests.support.contexts import Context

DISCOUNT = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 500}}


def test_created_voucher_reads_back_by_code(ctx: Context) -> None:
    """A standalone discount voucher is read back by its code with its discount."""
    created = vouchers.create(ctx.uow, ctx.project_id, DISCOUNT, code="SAVE5")
    shown = vouchers.get(ctx.uow, ctx.project_id, "SAVE5")
    assert shown["id"] == created["id"]
    assert (shown["discount"]["type"], shown["discount"]["amount_off"]) == ("AMOUNT", 500)


def test_taken_code_is_a_duplicate(ctx: Context) -> None:
    """A second voucher with a code in use is refused as a duplicate."""
    vouchers.create(ctx.uow, ctx.project_id, DISCOUNT, code="ONCE")
    with pytest.raises(DuplicateFound):
        vouchers.create(ctx.uow, ctx.project_id, DISCOUNT, code="ONCE")
