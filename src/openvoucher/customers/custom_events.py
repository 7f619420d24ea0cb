"""Custom events (``POST /v1/events``): stored, emitted as ``customer.custom_event``, and
firing the earning rules that listen to their type — in one transaction."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import vouchers
from openvoucher.catalog.presenters.vouchers import simple_voucher
from openvoucher.customers import custom_event_schemas, customers
from openvoucher.customers.events import CustomEventTracked
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.kernel.errors import InvalidPayload
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import earning_rules, loyalty_events
from openvoucher.loyalty.presenters.loyalty import custom_event
from openvoucher.loyalty.repositories.loyalty_rules import CustomEventRepository
from openvoucher.referrals import conversions as referrals

RESERVED = ("order.paid", "customer.")


def _loyalty(tx: Tx, given: dict[str, Any] | None) -> dict[str, Any] | None:
    code = (given or {}).get("code")
    if not code:
        return None
    card = vouchers.require(tx, code)
    shared = loyalty_events.context(tx, card)
    return {"voucher": simple_voucher(shared["voucher"]), "campaign": shared["campaign"]}


def track(
    uow: UnitOfWork, project_id: str, fields: dict[str, Any], *, programmes: bool = True
) -> dict[str, Any]:
    """Store a customer's custom event; its rules accrue points synchronously (with
    ``programmes``: a client-side event counts only where the project allows it)."""
    name = fields.get("event") or ""
    if not name or name.startswith(RESERVED):
        raise InvalidPayload("Invalid payload", "event must name a custom event, e.g. signed_up")
    with uow.write(project_id) as tx:
        schema = custom_event_schemas.check_event(tx, name, fields.get("metadata"))
        customer = customers.resolve(tx, fields.get("customer"))
        if customer is None:
            raise InvalidPayload("Missing customer", "customer is required", key="missing_customer")
        attrs = {k: fields.get(k) or {} for k in ("referral", "loyalty", "metadata")}
        referral = referrals.event_referral(tx, attrs["referral"])
        row = {
            "id": new_id("event"),
            "type": name,
            "customer_id": customer["id"],
            "attrs": attrs,
            "created_at": tx.now,
        }
        CustomEventRepository(tx.conn, tx.project_id).insert(row)
        rendered = custom_event(row, customer_ref(customer))
        data = {
            "event": rendered,
            "event_schema": {"id": schema.id if schema else None, "name": name},
            "customer": customer_ref(customer),
            "referral": referrals.event_data(tx, referral),
            "loyalty": _loyalty(tx, fields.get("loyalty")),
        }
        tx.emit(Event("customer.custom_event", data, entity_id=customer["id"]))
        if programmes:
            earning_rules.on_custom_event(tx, row, customer, rendered)
            schema_id = schema.id if schema else None
            tx.dispatch(CustomEventTracked(row, customer, rendered, schema_id))
            referrals.on_custom_event(tx, name, customer, referral, rendered)
        return {
            "object": "event",
            "type": name,
            "customer": customer_ref(customer),
            "referral": attrs["referral"],
            "loyalty": attrs["loyalty"],
            "metadata": attrs["metadata"],
        }
