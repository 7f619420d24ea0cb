"""Domain events of checkout, for other contexts to react to inside the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openvoucher.kernel.events import DomainEvent


@dataclass(frozen=True)
class OrderPaid(DomainEvent):
    """An order became PAID (created PAID, or updated to PAID): ``order`` is its row,
    ``customer`` the customer's row as the transaction last saw it (None: no customer)."""

    order: dict[str, Any]
    customer: dict[str, Any] | None


@dataclass(frozen=True)
class OrderCanceled(DomainEvent):
    """An order became CANCELED (created CANCELED, or updated to CANCELED): ``order`` is its
    row."""

    order: dict[str, Any]
