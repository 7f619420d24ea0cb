"""SQL removing what a project keeps about one customer (permanent deletion)."""

from __future__ import annotations

from sqlalchemy import Connection, delete

from openvoucher.adapters.db import outbox_parts
from openvoucher.adapters.db.schema.loyalty import custom_events
from openvoucher.adapters.db.schema.outbox import outbox_events
from openvoucher.adapters.db.schema.sales import orders


def purge(conn: Connection, project_id: str, customer_id: str) -> dict[str, int]:
    """Delete the customer's custom events, orders and dispatched activity events; the counts.

    Events not yet dispatched to webhooks stay until the relay has sent them.
    """
    removed_events = conn.execute(
        delete(custom_events).where(
            custom_events.c.project_id == project_id, custom_events.c.customer_id == customer_id
        )
    ).rowcount
    removed_orders = conn.execute(
        delete(orders).where(orders.c.project_id == project_id, orders.c.customer_id == customer_id)
    ).rowcount
    activity = outbox_events.c
    removed_activity = conn.execute(
        delete(outbox_events).where(
            activity.project_id == project_id,
            activity.customer_id == customer_id,
            activity.dispatched_at.is_not(None),
        )
    ).rowcount
    outbox_parts.purge(conn, project_id, customer_id)
    return {
        "events": int(removed_events or 0),
        "customer_events": int(removed_activity or 0),
        "orders": int(removed_orders or 0),
    }
