"""``POST /v1/customers/{id}/permanent-deletion``: forget a customer.

Removes the customer with their custom events, orders and (already dispatched) activity
events, in one transaction; emits ``customer.deleted`` as a plain delete does. Vouchers and
publications stay without a holder; redemptions keep their own records.
"""

from __future__ import annotations

from typing import Any

from openvoucher.customers import customers
from openvoucher.customers.repositories import customer_data
from openvoucher.customers.repositories.customers import CustomerRepository
from openvoucher.kernel.clock import iso
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import UnitOfWork


def delete_permanently(uow: UnitOfWork, project_id: str, ident: str) -> dict[str, Any]:
    """Forget the customer (id or source_id); the deletion record, status DONE."""
    with uow.write(project_id) as tx:
        row = customers.require(tx, ident)
        data = {"customer": customers.render(tx, row)}
        counts = customer_data.purge(tx.conn, tx.project_id, row["id"])
        CustomerRepository(tx.conn, tx.project_id).delete(row["id"])
        tx.emit(Event("customer.deleted", data, entity_id=row["id"]))
        return {
            "id": new_id("permanent_deletion"),
            "created_at": iso(tx.now),
            "related_object_id": row["id"],
            "related_object": "customer",
            "status": "DONE",
            "data_json": {
                "events": counts["events"],
                "customer_events": counts["customer_events"],
                "daily_events": 0,
                "segments": 0,
                "orders": counts["orders"],
                "order_events": 0,
                "customer": 1,
            },
            # Voucherify spells the object name this way.
            "object": "pernament_deletion",
        }
