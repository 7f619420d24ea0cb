"""Events recorded by use cases; the unit of work writes them to the outbox on commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Event:
    """Something that happened, named like Voucherify's webhook event (``voucher.created``).

    ``data`` is the event's payload ``data`` object, rendered from the state inside the
    transaction that caused it, so it shows the values at the moment of the change.
    """

    type: str
    data: dict[str, Any]
    entity_id: str | None = None
    group_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


MISSPELLED_EVENT_NAMES = {
    "voucher.gift.balance_aded": "voucher.gift.balance_added",
    "voucher.loyalty_card.points_aded": "voucher.loyalty_card.points_added",
    "voucher.loyalty_card.pending_points.aded": "voucher.loyalty_card.pending_points.added",
    "campaign.vouchers.aded": "campaign.vouchers.added",
    "customer.voucher.gift.balance_aded": "customer.voucher.gift.balance_added",
    "customer.voucher.loyalty_card.points_aded": "customer.voucher.loyalty_card.points_added",
}
"""The spec's enum misspells some names; we accept them and always emit the correct spelling."""


def canonical_event_name(name: str) -> str:
    """Return the correctly spelled event name for ``name``."""
    return MISSPELLED_EVENT_NAMES.get(name, name)
