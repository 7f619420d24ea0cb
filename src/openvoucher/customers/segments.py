"""Customer segments: create, read and delete; a customer's segments.

A ``static`` segment lists customers (by id or source id, each must exist); an
``auto-update`` or ``passive`` one holds the customers meeting its ``filter`` now. Creating
an auto-update segment emits ``customer.segment.entered`` for every customer already in it.
"""

from __future__ import annotations

from typing import Any

from openvoucher.customers import customers
from openvoucher.customers import segment_membership as membership
from openvoucher.customers.model import Segment, SegmentFields
from openvoucher.customers.repositories.segments import FILTERED, SegmentRepository
from openvoucher.kernel.errors import InvalidPayload
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork

TYPES = ("static", *FILTERED)
MAX_STATIC = 20_000
"""Customers a static segment may list (Voucherify's cap)."""
MAX_FILTERED = 100
"""Auto-update and passive segments a project may have (Voucherify's cap); every customer
write judges the auto-update ones."""


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", details)


def _checked(fields: SegmentFields) -> tuple[str, str, dict[str, Any] | None, list[str]]:
    """``(name, type, filter, customer idents)`` of a create request, or a 400."""
    name = fields.name
    if name is None or not name.strip():
        raise _invalid("name is required")
    kind = fields.type or "static"
    if kind not in TYPES:
        raise _invalid(f"type must be one of: {', '.join(TYPES)}")
    listed = fields.customers
    raw_filter = fields.filter
    if kind == "static":
        if raw_filter:
            raise _invalid("filter is only for auto-update and passive segments")
        if len(listed) > MAX_STATIC:
            raise _invalid(f"a static segment lists at most {MAX_STATIC} customers")
        return name, kind, None, list(dict.fromkeys(listed))
    if listed:
        raise _invalid("customers are only for static segments")
    if not raw_filter:
        raise _invalid(f"filter is required for {kind} segments")
    membership.parsed_filter(raw_filter)
    return name, kind, raw_filter, []


def create(uow: UnitOfWork, project_id: str, fields: SegmentFields) -> Segment:
    """``POST /v1/segments``."""
    name, kind, raw_filter, idents = _checked(fields)
    with uow.write(project_id) as tx:
        repo = SegmentRepository(tx.conn, tx.project_id)
        if kind != "static" and repo.count_filtered() >= MAX_FILTERED:
            raise _invalid(f"a project has at most {MAX_FILTERED} auto-update or passive segments")
        members = list(dict.fromkeys(customers.require(tx, ident)["id"] for ident in idents))
        segment = Segment(new_id("segment"), name, kind, raw_filter, tx.now)
        repo.add(segment)
        repo.add_members(segment.id, members)
        row = membership.require(tx, segment.id)
        if kind == "auto-update":
            _announce(tx, row)
        return row


def _announce(tx: Tx, row: Segment) -> None:
    """``customer.segment.entered`` for every customer in a new auto-update segment (no
    earning rule can name the segment yet)."""
    filters = membership.parsed_filter(row.filter or {})
    repo = SegmentRepository(tx.conn, tx.project_id)
    for customer in repo.customers_meeting(filters, tx.now):
        membership.emit(tx, "customer.segment.entered", customer, row)


def get(uow: UnitOfWork, project_id: str, segment_id: str) -> Segment:
    """``GET /v1/segments/{id}``."""
    with uow.read(project_id) as tx:
        return membership.require(tx, segment_id)


def delete(uow: UnitOfWork, project_id: str, segment_id: str) -> None:
    """``DELETE /v1/segments/{id}`` (a static segment's list goes with it; no events)."""
    with uow.write(project_id) as tx:
        SegmentRepository(tx.conn, tx.project_id).delete(membership.require(tx, segment_id).id)


def of_customer(uow: UnitOfWork, project_id: str, ident: str) -> list[Segment]:
    """``GET /v1/customers/{id}/segments``: the customer's segments now, oldest first."""
    with uow.read(project_id) as tx:
        return membership.segments_of(tx, customers.require(tx, ident)["id"])
