"""Customers: upsert by source_id, read by id or source_id, update, delete, list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from openvoucher.adapters.db.hot import HotRead
from openvoucher.catalog.metadata_schemas import enforce
from openvoucher.customers import segment_membership as membership
from openvoucher.customers.presenters.customers import HOLDINGS
from openvoucher.customers.presenters.customers import customer as rendered
from openvoucher.customers.repositories import activity as activity_log
from openvoucher.customers.repositories import customer_holdings
from openvoucher.customers.repositories.customers import (
    CustomerFilter,
    CustomerRepository,
    hot_by_id_or_source_id,
)
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork

COLUMN_FIELDS = ("name", "email")
ATTR_FIELDS = ("description", "phone", "birthday", "birthdate", "address", "metadata")


def with_holdings(tx: Tx, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows, each carrying what the customer holds (cards, referrals) for rendering."""
    found = customer_holdings.of_customers(tx.conn, tx.project_id, [r["id"] for r in rows])
    return [{**row, HOLDINGS: found[row["id"]]} for row in rows]


def render(tx: Tx, row: dict[str, Any]) -> dict[str, Any]:
    """The full customer object of ``row`` with its holdings as of now."""
    return rendered(with_holdings(tx, [row])[0])


def _split(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    columns = {k: fields[k] for k in COLUMN_FIELDS if k in fields}
    attrs = {k: fields[k] for k in ATTR_FIELDS if k in fields}
    return columns, attrs


def upsert(tx: Tx, fields: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Create the customer, or update the one with the same ``source_id``; (row, created)."""
    repo = CustomerRepository(tx.conn, tx.project_id)
    source_id = fields.get("source_id")
    existing = repo.get_by_source_id(source_id) if source_id else None
    if existing is None:
        inserted = _insert(tx, repo, fields)
        if inserted is not None:
            return inserted, True
        existing = repo.get_by_source_id(str(source_id))  # a concurrent request took it first
        assert existing is not None
    return _apply(tx, repo, existing, fields), False


def _insert(tx: Tx, repo: CustomerRepository, fields: dict[str, Any]) -> dict[str, Any] | None:
    """The new customer, or None when a concurrent transaction took its ``source_id``."""
    columns, attrs = _split(fields)
    attrs.setdefault("metadata", {})
    enforce(tx, "customer", attrs["metadata"])
    was = membership.before(tx, None)
    customer_id = new_id("customer")
    stored = repo.insert_unless_taken(
        {
            "id": customer_id,
            "source_id": fields.get("source_id"),
            "attrs": attrs,
            "created_at": tx.now,
            "updated_at": None,
            **columns,
        }
    )
    if not stored:
        return None
    row = repo.get(customer_id)
    assert row is not None
    tx.emit(Event("customer.created", {"customer": render(tx, row)}, entity_id=customer_id))
    membership.after(tx, row, was)
    return row


def _apply(
    tx: Tx, repo: CustomerRepository, row: dict[str, Any], fields: dict[str, Any]
) -> dict[str, Any]:
    columns, attrs = _split(fields)
    if not columns and not attrs:
        return row
    row = repo.locked(row["id"]) or row  # counters written meanwhile are kept
    merged = {**row["attrs"], **attrs}
    if merged.get("metadata") is None:
        merged["metadata"] = {}
    if "metadata" in attrs:
        enforce(tx, "customer", merged["metadata"])
    was = membership.before(tx, row["id"])
    repo.update(row["id"], {**columns, "attrs": merged, "updated_at": tx.now})
    updated = repo.get(row["id"])
    assert updated is not None
    tx.emit(Event("customer.updated", {"customer": render(tx, updated)}, entity_id=row["id"]))
    membership.after(tx, updated, was)
    return updated


def find(tx: Tx, ident: str) -> dict[str, Any] | None:
    """The customer with id or source_id ``ident``, or None."""
    return CustomerRepository(tx.conn, tx.project_id).get_by_id_or_source_id(ident)


def by_id(tx: Tx, customer_id: str) -> dict[str, Any] | None:
    """The customer with id ``customer_id``, or None."""
    return CustomerRepository(tx.conn, tx.project_id).get(customer_id)


def change_attrs(
    tx: Tx, customer_id: str, change: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    """Rewrite the customer's stored attributes with ``change`` (row locked; e.g. the
    ``referrals`` a referral conversion appends)."""
    CustomerRepository(tx.conn, tx.project_id).change_attrs(customer_id, change)


def require(tx: Tx, ident: str) -> dict[str, Any]:
    """The customer with id or source_id ``ident``, or 404."""
    row = find(tx, ident)
    if row is None:
        raise NotFound("customer", ident)
    return row


def resolve(tx: Tx, spec: dict[str, Any] | None, *, create: bool = True) -> dict[str, Any] | None:
    """Find (or upsert) the customer a request refers to by ``id``, ``source_id`` or ``email``."""
    if not spec:
        return None
    repo = CustomerRepository(tx.conn, tx.project_id)
    if spec.get("id"):
        found = repo.get(spec["id"])
        if found is None:
            raise NotFound("customer", spec["id"])
        return found
    if spec.get("source_id"):
        return upsert(tx, spec)[0] if create else require(tx, spec["source_id"])
    if spec.get("email"):
        found = repo.get_by_email(spec["email"])
        if found is not None or not create:
            return found
        return upsert(tx, spec)[0]
    raise InvalidPayload(
        "Invalid customer", "Customer must have an id, source_id or email", key="invalid_customer"
    )


def is_known(uow: UnitOfWork, project_id: str, spec: dict[str, Any] | None) -> bool:
    """Whether the customer a request names (``id``, ``source_id`` or ``email``) exists; a
    request naming no customer creates none, so it counts as known."""
    if not spec:
        return True
    with uow.read(project_id) as tx:
        repo = CustomerRepository(tx.conn, tx.project_id)
        if spec.get("id"):
            return repo.get(str(spec["id"])) is not None
        if spec.get("source_id"):
            return repo.get_by_source_id(str(spec["source_id"])) is not None
        if spec.get("email"):
            return repo.get_by_email(str(spec["email"])) is not None
    return False


def create(uow: UnitOfWork, project_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``POST /v1/customers``: upsert by source_id."""
    with uow.write(project_id) as tx:
        return with_holdings(tx, [upsert(tx, fields)[0]])[0]


def get(uow: UnitOfWork, project_id: str, ident: str) -> dict[str, Any]:
    """By id or source_id."""
    with uow.read(project_id) as tx:
        return with_holdings(tx, [require(tx, ident)])[0]


def get_hot(uow: UnitOfWork, project_id: str, ident: str) -> dict[str, Any] | None:
    """``get`` as a hot read (SQLite: no SQLAlchemy, no thread; see ``adapters.db.hot``), for
    the event loop; None when the unit of work cannot read hot now: then call ``get``."""
    if uow.hot is None:
        return None
    return uow.hot.snapshot(lambda read: _found_hot(read, project_id, ident))


def _found_hot(read: HotRead, project_id: str, ident: str) -> dict[str, Any]:
    rows = hot_by_id_or_source_id(read, project_id, ident)
    if not rows:
        raise NotFound("customer", ident)
    held = customer_holdings.hot_of_customer(read, project_id, rows[0]["id"])
    return {**rows[0], HOLDINGS: held}


def update(uow: UnitOfWork, project_id: str, ident: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Change the given fields; omitted ones stay."""
    with uow.write(project_id) as tx:
        row = require(tx, ident)
        changed = _apply(tx, CustomerRepository(tx.conn, tx.project_id), row, fields)
        return with_holdings(tx, [changed])[0]


def delete(uow: UnitOfWork, project_id: str, ident: str) -> None:
    """Remove a customer (vouchers they hold keep existing, without a holder)."""
    with uow.write(project_id) as tx:
        row = require(tx, ident)
        data = {"customer": render(tx, row)}
        CustomerRepository(tx.conn, tx.project_id).delete(row["id"])
        tx.emit(Event("customer.deleted", data, entity_id=row["id"]))


def list_customers(
    uow: UnitOfWork,
    project_id: str,
    filters: CustomerFilter,
    *,
    order: str,
    limit: int,
    offset: int,
    segment_id: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """A page of customers (of one segment, when given) and the total."""
    with uow.read(project_id) as tx:
        repo = CustomerRepository(tx.conn, tx.project_id)
        filters = replace(filters, now=tx.now)
        if segment_id is not None:
            filters = membership.narrowed(tx, filters, segment_id)
        rows, total = repo.page(filters, order=order, limit=limit, offset=offset)
        return with_holdings(tx, rows), total


def activity(
    uow: UnitOfWork,
    project_id: str,
    ident: str,
    query: activity_log.ActivityQuery,
    starting_after_id: str | None = None,
) -> tuple[list[dict[str, Any]], bool]:
    """The customer's ``customer.*`` events, newest first by default, and whether more exist."""
    with uow.read(project_id) as tx:
        customer_id = require(tx, ident)["id"]
        after = None
        if starting_after_id:
            after = activity_log.seq_of(tx.conn, tx.project_id, starting_after_id)
            if after is None:
                raise NotFound("event", starting_after_id)
        window = replace(query, customer_id=customer_id, starting_after_seq=after)
        rows = activity_log.customer_events(tx.conn, tx.project_id, window)
    return rows[: query.limit], len(rows) > query.limit
