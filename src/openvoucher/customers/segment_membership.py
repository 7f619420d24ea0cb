"""Which segments a customer belongs to, and the ``customer.segment.entered`` / ``left``
events when a customer write changes that.

Static segments list their customers; auto-update and passive ones hold the customers
meeting their ``filter`` now. A customer write reads the project's filtered segments once,
judges the one customer against all their filters in one query before and after the change,
and emits an event per auto-update segment entered or left (passive segments emit none),
inside the write's transaction, and dispatches ``SegmentEntered`` for each entry (loyalty's
earning rules react, see ``bootstrap.reaction_table``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from openvoucher.customers.events import SegmentEntered
from openvoucher.customers.model import Segment
from openvoucher.customers.presenters.customers import HOLDINGS
from openvoucher.customers.presenters.customers import customer as render_customer
from openvoucher.customers.presenters.segments import simple_segment
from openvoucher.customers.repositories import customer_holdings
from openvoucher.customers.repositories.customers import CustomerFilter
from openvoucher.customers.repositories.segments import CUSTOMER_FILTER_KINDS, SegmentRepository
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.events import Event
from openvoucher.kernel.filters import FilterError, Filters, parse
from openvoucher.kernel.unit_of_work import Tx


def parsed_filter(raw: Mapping[str, Any]) -> Filters:
    """A segment ``filter`` (``{junction, field: {conditions: {$op: [values]}}}``) as typed
    conditions over the customer fields of ``GET /v1/customers``; anything else is 400."""
    return _parsed(json.dumps(raw))


@lru_cache(maxsize=512)
def _parsed(text: str) -> Filters:
    try:
        found = parse([("filters", text)], CUSTOMER_FILTER_KINDS)
    except FilterError as error:
        raise InvalidPayload("Invalid payload", f"filter: {error}") from None
    if not found:
        raise InvalidPayload("Invalid payload", "filter must hold at least one condition")
    return found


def _met(tx: Tx, customer_id: str, rows: list[Segment], lock: bool = False) -> set[str]:
    filters = {row.id: parsed_filter(row.filter or {}) for row in rows}
    repo = SegmentRepository(tx.conn, tx.project_id)
    return repo.met_by(customer_id, filters, tx.now, lock=lock)


@dataclass(frozen=True)
class Before:
    """The project's auto-update segments and those the customer was in before a write."""

    segments: list[Segment]
    inside: set[str] = field(default_factory=set)


def before(tx: Tx, customer_id: str | None) -> Before:
    """Read before a customer write (``customer_id`` None for a new customer); the customer
    row is locked, so two writes of it never both see it outside and both emit an entry."""
    rows = SegmentRepository(tx.conn, tx.project_id).active()
    if not rows or customer_id is None:
        return Before(rows)
    return Before(rows, _met(tx, customer_id, rows, lock=True))


def after(tx: Tx, customer: dict[str, Any], was: Before) -> None:
    """After the write: emit entered/left for each auto-update segment whose membership
    changed, and run the entry hooks."""
    if not was.segments:
        return
    inside = _met(tx, customer["id"], was.segments)
    for row in was.segments:
        if row.id in inside and row.id not in was.inside:
            emit(tx, "customer.segment.entered", customer, row)
            tx.dispatch(SegmentEntered(customer=customer, segment=row))
        elif row.id in was.inside and row.id not in inside:
            emit(tx, "customer.segment.left", customer, row)


def emit(tx: Tx, kind: str, customer: dict[str, Any], segment: Segment) -> None:
    """One ``customer.segment.entered`` or ``left`` event."""
    held = customer_holdings.of_customers(tx.conn, tx.project_id, [customer["id"]])
    shown = render_customer({**customer, HOLDINGS: held[customer["id"]]})
    data = {"customer": shown, "segment": simple_segment(segment)}
    tx.emit(Event(kind, data, entity_id=customer["id"]))


def segments_of(tx: Tx, customer_id: str) -> list[Segment]:
    """The segments the customer belongs to now, oldest first."""
    repo = SegmentRepository(tx.conn, tx.project_id)
    filtered = repo.filtered()
    inside = _met(tx, customer_id, filtered) if filtered else set()
    found = repo.static_of(customer_id) + [row for row in filtered if row.id in inside]
    return sorted(found, key=lambda row: (row.created_at, row.id))


def require(tx: Tx, segment_id: str) -> Segment:
    """The segment, or 404."""
    row = SegmentRepository(tx.conn, tx.project_id).segment(segment_id)
    if row is None:
        raise NotFound("segment", segment_id)
    return row


def narrowed(tx: Tx, filters: CustomerFilter, segment_id: str) -> CustomerFilter:
    """``filters`` limited to the segment's members (``GET /v1/customers?segment_id=``;
    404 when the segment does not exist)."""
    row = require(tx, segment_id)
    if row.type == "static":
        return replace(filters, segment_members=row.id)
    return replace(filters, segment_filter=parsed_filter(row.filter or {}))
