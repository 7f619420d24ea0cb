"""Domain events of customers, for other contexts to react to inside the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openvoucher.customers.model import Segment
from openvoucher.kernel.events import DomainEvent


@dataclass(frozen=True)
class SegmentEntered(DomainEvent):
    """A customer write made the customer enter an auto-update segment: both rows."""

    customer: dict[str, Any]
    segment: Segment


@dataclass(frozen=True)
class CustomEventTracked(DomainEvent):
    """A customer's custom event was stored (and counts for loyalty programmes): the event
    row, the customer row, the rendered event and the id of its schema (None: no schema)."""

    row: dict[str, Any]
    customer: dict[str, Any]
    rendered: dict[str, Any]
    schema_id: str | None
