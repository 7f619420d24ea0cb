"""Request bodies of balance adjustments and transaction exports."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from openvoucher.platform.presenters.exports import TransactionField

Short = Annotated[str, msgspec.Meta(max_length=300)]
Reason = Annotated[str, msgspec.Meta(max_length=1000)]
MAX_CHANGE = 10**12
"""The largest single adjustment (ten billion in two-decimal currency units)."""
Amount = Annotated[int, msgspec.Meta(ge=-MAX_CHANGE, le=MAX_CHANGE)]


class BalanceUpdate(msgspec.Struct):
    """``POST /v1/vouchers/{code}/balance``: ``amount`` > 0 adds, < 0 removes."""

    amount: Amount | None = None
    source_id: Short | None = None
    reason: Reason | None = None


class ExportParameters(msgspec.Struct):
    """What a transactions export holds and in which order."""

    order: Literal["-created_at", "created_at"] | None = None
    fields: list[TransactionField] | None = None


class TransactionsExport(msgspec.Struct):
    """``POST /v1/vouchers/{code}/transactions/export``."""

    parameters: ExportParameters | None = None
