"""Typed commands of the gift-card ledger (ADR 0017)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BalanceChange:
    """A manual adjustment of a card's balance: ``amount`` > 0 adds, < 0 removes (credits of
    a gift card, points of a loyalty card); ``None``: not given (refused by the ledger)."""

    amount: int | None
    source_id: str | None = None
    reason: str | None = None
