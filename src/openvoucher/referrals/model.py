"""Typed records of the referrals context and the commands its use cases take (ADR 0017)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openvoucher.kernel.filters import Filters


@dataclass(frozen=True, slots=True)
class Holder:
    """A holder of a referral code: its referrer (from the publication) or a referee."""

    id: str
    voucher_id: str
    campaign_id: str
    customer_id: str
    holder_role: str
    publication_id: str | None
    metadata: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class HolderQuery:
    """A page of a code's holders: ``order`` "id" or "-id", after the holder
    ``starting_after_id``, narrowed by ``filters``."""

    limit: int
    order: str
    filters: Filters
    starting_after_id: str | None = None


@dataclass(frozen=True, slots=True)
class ReferralCode:
    """The referral code a custom event names (locked for the transaction) and its
    programme's campaign: catalog rows, read as they are."""

    voucher: dict[str, Any]
    campaign: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ConversionOrigin:
    """What converted a referral: a redemption (its row) or a custom event (rendered)."""

    kind: str
    id: str
    redemption: dict[str, Any] | None = None
    event: dict[str, Any] | None = None

    @classmethod
    def of_redemption(cls, row: dict[str, Any]) -> ConversionOrigin:
        """A redemption of the referral code."""
        return cls("redemption", row["id"], redemption=row)

    @classmethod
    def of_event(cls, event: dict[str, Any]) -> ConversionOrigin:
        """The programme's custom event, sent with the code."""
        return cls("custom_event", event["id"], event=event)
