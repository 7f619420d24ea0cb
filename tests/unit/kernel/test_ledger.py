"""Gift-credit arithmetic: additions, removals, redemptions and refunds."""

from __future__ import annotations

import pytest

from openvoucher.kernel.errors import VoucherifyError
from openvoucher.kernel.ledger import (
    GiftBalance,
    add_credits,
    redeem_credits,
    refund_credits,
    remove_credits,
    replay,
)


def test_add_grows_lifetime_amount_and_balance() -> None:
    """A top-up raises both the lifetime amount and the balance."""
    assert add_credits(GiftBalance(5000, 3000), 1200) == GiftBalance(6200, 4200)


def test_remove_and_redeem_are_bounded_by_balance() -> None:
    """Removal and redemption never take the balance below zero."""
    card = GiftBalance(5000, 3000)
    assert remove_credits(card, 1000) == GiftBalance(4000, 2000, subtracted_amount=1000)
    with pytest.raises(VoucherifyError) as removal:
        remove_credits(card, 3001)
    assert removal.value.key == "invalid_add_balance_params"
    with pytest.raises(VoucherifyError) as redemption:
        redeem_credits(card, 3001)
    assert redemption.value.key == "gift_amount_exceeded"


def test_refund_reverses_redemption() -> None:
    """A refund restores what a redemption took."""
    card = redeem_credits(GiftBalance(5000, 5000), 1500)
    assert card.redeemed_amount == 1500
    assert refund_credits(card, 1500) == GiftBalance(5000, 5000)


@pytest.mark.parametrize("credits", [0, -5, True])
def test_non_positive_changes_are_rejected(credits: int) -> None:
    """Zero, negative and boolean amounts are invalid."""
    with pytest.raises(VoucherifyError):
        add_credits(GiftBalance(0, 0), credits)


def test_replay() -> None:
    """Replaying signed amounts gives the balance."""
    assert replay(5000, [1200, -700, -1000, 700]) == 5200
