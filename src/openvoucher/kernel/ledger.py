"""Balance arithmetic for gift credits and loyalty points.

A balance is a cache of its ledger: every change is a transaction with a signed ``amount``
and the ``balance_after``; replaying the transactions gives the balance back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from openvoucher.kernel.errors import VoucherifyError

# Gift transaction types and the sign of their effect on the balance.
CREDITS_ADDITION = "CREDITS_ADDITION"
CREDITS_REMOVAL = "CREDITS_REMOVAL"
CREDITS_REDEMPTION = "CREDITS_REDEMPTION"
CREDITS_REFUND = "CREDITS_REFUND"

GIFT_SIGNS = {CREDITS_ADDITION: 1, CREDITS_REMOVAL: -1, CREDITS_REDEMPTION: -1, CREDITS_REFUND: 1}


@dataclass(frozen=True)
class GiftBalance:
    """A gift card's cached figures: credits added minus removed, removed, redeemed (net),
    balance (= amount - redeemed_amount)."""

    amount: int
    balance: int
    subtracted_amount: int = 0
    redeemed_amount: int = 0


def _positive(credits: int, what: str) -> None:
    if isinstance(credits, bool) or not isinstance(credits, int) or credits <= 0:
        raise VoucherifyError(
            "Invalid balance change",
            f"{what} must be a positive integer",
            key="invalid_add_balance_params",
        )


def add_credits(card: GiftBalance, credits: int) -> GiftBalance:
    """Top up: lifetime amount and balance grow."""
    _positive(credits, "Added credits")
    return replace(card, amount=card.amount + credits, balance=card.balance + credits)


def remove_credits(card: GiftBalance, credits: int) -> GiftBalance:
    """Take credits away; never below zero. The card's ``amount`` (Voucherify's ``total``)
    shrinks too: it counts credits added minus credits removed."""
    _positive(credits, "Removed credits")
    if credits > card.balance:
        raise VoucherifyError(
            "Insufficient balance",
            f"Cannot remove {credits} credits: the balance is {card.balance}",
            key="invalid_add_balance_params",
        )
    return replace(
        card,
        amount=card.amount - credits,
        balance=card.balance - credits,
        subtracted_amount=card.subtracted_amount + credits,
    )


def redeem_credits(card: GiftBalance, credits: int) -> GiftBalance:
    """Pay with credits; more than the balance is ``gift_amount_exceeded``."""
    _positive(credits, "Redeemed credits")
    if credits > card.balance:
        raise VoucherifyError(
            "Gift amount exceeded",
            f"Cannot redeem {credits} credits: the balance is {card.balance}",
            key="gift_amount_exceeded",
        )
    return replace(
        card, balance=card.balance - credits, redeemed_amount=card.redeemed_amount + credits
    )


def refund_credits(card: GiftBalance, credits: int) -> GiftBalance:
    """Give redeemed credits back (a rollback)."""
    _positive(credits, "Refunded credits")
    return replace(
        card, balance=card.balance + credits, redeemed_amount=card.redeemed_amount - credits
    )


def replay(initial: int, amounts: list[int]) -> int:
    """The balance after applying signed ``amounts`` to ``initial``."""
    return initial + sum(amounts)
