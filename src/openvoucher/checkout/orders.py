"""Orders: create (upsert by source_id), update, read, list; customer.order.* events."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.metadata_schemas import enforce
from openvoucher.checkout.domain import orders as arithmetic
from openvoucher.checkout.events import OrderCanceled, OrderPaid
from openvoucher.checkout.presenters.orders import order as render
from openvoucher.checkout.repositories.orders import OrderRepository
from openvoucher.customers import customers
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.customers.repositories.customers import CustomerRepository
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.events import Event
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork

_STATUS_EVENTS = {"PAID": "customer.order.paid", "CANCELED": "customer.order.canceled"}


def _items(spec: dict[str, Any], current: dict[str, Any] | None) -> list[dict[str, Any]]:
    if "items" in spec and spec["items"] is not None:
        return [arithmetic.compute_item(item) for item in spec["items"]]
    return list((current or {}).get("attrs", {}).get("items") or [])


def _status(spec: dict[str, Any], current: dict[str, Any] | None) -> str:
    status = spec.get("status") or (current["status"] if current else "CREATED")
    if status not in arithmetic.STATUSES:
        raise InvalidPayload("Invalid order", f"Unknown status {status}", key="invalid_order")
    return str(status)


def _customer_id(
    tx: Tx, spec: dict[str, Any], key: str, current: Any, seen: dict[str, dict[str, Any]]
) -> str | None:
    """The id of the order's customer (``key``: customer or referrer); the rows read or
    upserted go into ``seen`` (by id, the latest wins) so they are not read again."""
    found = None
    if spec.get(key):
        found = customers.resolve(tx, spec[key])
    elif spec.get(f"{key}_id"):
        found = customers.require(tx, spec[f"{key}_id"])
    else:
        return current[f"{key}_id"] if current else None
    if found is None:
        return None
    seen[found["id"]] = found
    return str(found["id"])


def _values(
    tx: Tx,
    spec: dict[str, Any],
    current: dict[str, Any] | None,
    seen: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    items = _items(spec, current)
    given_amount = spec.get("amount")
    if given_amount is None and "items" not in spec and current is not None:
        given_amount = current["amount"]
    amount = arithmetic.order_amount(given_amount, items)
    attrs = dict(current["attrs"]) if current else {"discount_amount": 0, "redemptions": {}}
    attrs["items"] = items
    attrs["initial_amount"] = spec.get("initial_amount") or attrs.get("initial_amount") or amount
    if spec.get("discount_amount") is not None:
        attrs["discount_amount"] = spec["discount_amount"]
    if "metadata" in spec:
        attrs["metadata"] = spec["metadata"] or {}
    if spec.get("redemptions"):  # set by redemptions and rollbacks, never by clients
        linked: Any = attrs.get("redemptions") or {}
        attrs["redemptions"] = {**linked, **spec["redemptions"]}
    attrs.setdefault("metadata", {})
    _enforce_metadata(tx, spec, attrs, current is None)
    return {
        "status": _status(spec, current),
        "amount": amount,
        "customer_id": _customer_id(tx, spec, "customer", current, seen),
        "referrer_id": _customer_id(tx, spec, "referrer", current, seen),
        "attrs": attrs,
    }


def _enforce_metadata(tx: Tx, spec: dict[str, Any], attrs: dict[str, Any], new: bool) -> None:
    """The order's metadata against the ``order`` schema, its items' against ``order_item``."""
    if new or "metadata" in spec:
        enforce(tx, "order", attrs["metadata"])
    if spec.get("items") is not None:
        for item in spec["items"]:
            enforce(tx, "order_item", item.get("metadata"))


def _existing(tx: Tx, spec: dict[str, Any]) -> dict[str, Any] | None:
    repo = OrderRepository(tx.conn, tx.project_id)
    if spec.get("id"):
        found = repo.get(spec["id"])
        if found is None:
            raise NotFound("order", spec["id"])
        return found
    if spec.get("source_id"):
        return repo.get_by_source_id(spec["source_id"])
    return None


def upsert(tx: Tx, spec: dict[str, Any], *, quiet: bool = False) -> dict[str, Any]:
    """Create the order, or update the one with this id/source_id; emits customer.order.*
    (``quiet``: an import of historical orders, which fires no hooks and emits no events)."""
    repo = OrderRepository(tx.conn, tx.project_id)
    current = _existing(tx, spec)
    seen: dict[str, dict[str, Any]] = {}
    values = _values(tx, spec, current, seen)
    if current is None:
        row = repo.insert_returning(
            {
                "id": new_id("order"),
                "source_id": spec.get("source_id"),
                "created_at": tx.now,
                "updated_at": None,
                **values,
            }
        )
    else:
        found = repo.update_returning(current["id"], {**values, "updated_at": tx.now})
        assert found is not None
        row = found
    _after_change(tx, row, current, seen.get(row["customer_id"]), quiet)
    return row


def _after_change(
    tx: Tx,
    row: dict[str, Any],
    before: dict[str, Any] | None,
    known: dict[str, Any] | None,
    quiet: bool = False,
) -> None:
    """Customer summary, ``OrderPaid`` (dispatched in the transaction) and customer.order.*
    events; ``known``: the customer's row as this transaction read or wrote it last (else
    read here)."""
    customer = known
    if customer is None and row["customer_id"] is not None:
        customer = CustomerRepository(tx.conn, tx.project_id).get(row["customer_id"])
    if before is None:
        _track_customer_order(tx, customer, row)
    if quiet:
        return
    became = row["status"] if (before is None or before["status"] != row["status"]) else None
    if became == "PAID":
        tx.dispatch(OrderPaid(order=row, customer=customer))
    elif became == "CANCELED":
        tx.dispatch(OrderCanceled(order=row))
    if customer is None:
        return
    referrer = _referrer(tx, row)
    data = {
        "customer": customer_ref(customer),
        "referrer": referrer,
        "order": render(row),
        "redemption": None,
    }
    kind = "customer.order.created" if before is None else "customer.order.updated"
    tx.emit(Event(kind, data, entity_id=row["id"]))
    if became in _STATUS_EVENTS:
        tx.emit(Event(_STATUS_EVENTS[became], data, entity_id=row["id"]))


def _referrer(tx: Tx, row: dict[str, Any]) -> dict[str, Any] | None:
    """The order's referrer as events show them, or None."""
    if row["referrer_id"] is None:
        return None
    found = CustomerRepository(tx.conn, tx.project_id).get(row["referrer_id"])
    return customer_ref(found) if found else None


def _track_customer_order(tx: Tx, customer: dict[str, Any] | None, row: dict[str, Any]) -> None:
    if customer is None:
        return

    def add(attrs: dict[str, Any]) -> dict[str, Any]:
        summary = dict(attrs.get("summary") or {})
        stats = dict(summary.get("orders") or {})
        count = int(stats.get("total_count", 0)) + 1
        total = int(stats.get("total_amount", 0)) + row["amount"]
        stats.update(
            total_count=count,
            total_amount=total,
            average_amount=total // count,
            last_order_amount=row["amount"],
            last_order_date=row["created_at"].isoformat(),
        )
        return {**attrs, "summary": {**summary, "orders": stats}}

    CustomerRepository(tx.conn, tx.project_id).change_attrs(customer["id"], add)


def require(tx: Tx, ident: str) -> dict[str, Any]:
    """The order with id (or source_id) ``ident``, or 404."""
    repo = OrderRepository(tx.conn, tx.project_id)
    found = repo.get(ident) or repo.get_by_source_id(ident)
    if found is None:
        raise NotFound("order", ident)
    return found


def rendered(row: dict[str, Any]) -> dict[str, Any]:
    """An order row as the API renders it (for other contexts: Loyalty v2's earnings and
    payments read the order's amounts so)."""
    return render(row)


def create(uow: UnitOfWork, project_id: str, spec: dict[str, Any]) -> dict[str, Any]:
    """``POST /v1/orders``."""
    with uow.write(project_id) as tx:
        return upsert(tx, spec)


def update(uow: UnitOfWork, project_id: str, ident: str, spec: dict[str, Any]) -> dict[str, Any]:
    """``PUT /v1/orders/{id}``."""
    with uow.write(project_id) as tx:
        current = require(tx, ident)
        return upsert(tx, {**spec, "id": current["id"]})


def get(uow: UnitOfWork, project_id: str, ident: str) -> dict[str, Any]:
    """By id or source_id."""
    with uow.read(project_id) as tx:
        return require(tx, ident)


def list_orders(
    uow: UnitOfWork,
    project_id: str,
    *,
    order: str,
    limit: int,
    offset: int,
    filters: Filters | None = None,
    after_id: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """A page of orders and the total, narrowed by ``filters[…]`` (``after_id``: a keyset
    cursor for ``-created_at`` pages, see ``OrderRepository.page``)."""
    with uow.read(project_id) as tx:
        repo = OrderRepository(tx.conn, tx.project_id)
        return repo.page(
            order=order, limit=limit, offset=offset, filters=filters, now=tx.now, after_id=after_id
        )
