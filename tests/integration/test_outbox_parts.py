"""The compact outbox (ADR 0075): shared objects stored once, read back exactly."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import func, select, update

from openvoucher.adapters.db import outbox_parts as parts
from openvoucher.adapters.db.schema.outbox import outbox_events, outbox_parts
from openvoucher.kernel.event_presence import without_unset
from openvoucher.kernel.events import Event
from openvoucher.webhooks import delivery
from openvoucher.webhooks import endpoints as webhooks
from openvoucher.webhooks.model import EndpointFields
from openvoucher.webhooks.repositories.webhooks_sendouts import SendoutFilter, SendoutRepository

CAMPAIGN = {"object": "campaign", "id": "camp_1", "name": "Club " * 50, "updated_at": None}
VOUCHER = {"object": "voucher", "id": "v_1", "code": "C" * 300, "holder_id": "cust_1", "gift": None}


def _events() -> list[Event]:
    """Three events sharing one voucher and one campaign object, about customer cust_1."""
    holder = {"object": "customer", "id": "cust_1", "name": None}
    first = {"voucher": VOUCHER, "campaign": CAMPAIGN, "holder": holder, "n": 1.5, "x": None}
    second = {"campaign": CAMPAIGN, "voucher": VOUCHER, "customer": holder, "list": [VOUCHER]}
    alone = {"campaign": {**CAMPAIGN, "id": "camp_2"}, "voucher": {**VOUCHER, "code": "other"}}
    return [
        Event("voucher.loyalty_card.points_expired", first, entity_id="v_1"),
        Event("customer.voucher.loyalty_card.points_expired", second, entity_id="cust_1"),
        Event("voucher.updated", alone, entity_id="v_2"),
    ]


def _write(container: Any, events: list[Event]) -> None:
    with container.uow.write(container.default_project["id"]) as tx:
        for event in events:
            tx.emit(event)


def _stored(container: Any) -> list[dict[str, Any]]:
    o = outbox_events.c
    query = select(o.seq, o.type, o.data, o.parts, o.customer_id).order_by(o.seq)
    with container.engine.connect() as conn:
        rows = [dict(row) for row in conn.execute(query).mappings()]
        raw = [dict(row) for row in rows]
        parts.expand(conn, rows)
    return [{**row, "raw": r} for row, r in zip(rows, raw, strict=True)]


def _part_count(container: Any) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(outbox_parts)).scalar_one())


def test_shared_objects_are_stored_once_and_read_back_exactly(container: Any) -> None:
    """Repeated objects and campaigns become parts; expanded data equals the pruned data."""
    events = _events()
    _write(container, events)
    rows = _stored(container)[-3:]
    sqlite = container.engine.dialect.name == "sqlite"
    for row, event in zip(rows, events, strict=True):
        assert row["data"] == without_unset(event.data)
        if sqlite:  # PostgreSQL's jsonb orders keys its own way, whole or in parts
            assert list(row["data"]) == list(event.data)
    first, second, alone = (row["raw"] for row in rows)
    assert first["data"]["voucher"] is None
    assert first["data"]["campaign"] is None
    assert first["parts"]["voucher"] == second["parts"]["voucher"]
    assert alone["parts"] == {"campaign": alone["parts"]["campaign"]}
    assert alone["data"]["voucher"]["code"] == "other"
    assert first["data"]["holder"] == {"object": "customer", "id": "cust_1"}


def test_a_campaign_part_is_written_once_across_writes(container: Any) -> None:
    """The same campaign in a later write reuses its part (content address)."""
    _write(container, _events())
    before = _part_count(container)
    _write(container, [Event("voucher.updated", {"campaign": CAMPAIGN}, entity_id="v_3")])
    assert _part_count(container) == before


def test_purge_drops_only_the_customers_unused_parts(container: Any) -> None:
    """A customer's parts go with their dispatched events; undispatched events keep theirs."""
    project_id = container.default_project["id"]
    _write(container, _events())
    with container.engine.begin() as conn:
        conn.execute(update(outbox_events).values(dispatched_at=func.current_timestamp()))
    later = {**VOUCHER, "code": "L" * 300}
    update_event = Event("customer.updated", {"customer": {"id": "cust_1"}, "v": later})
    _write(container, [update_event, update_event])
    with container.engine.begin() as conn:
        o = outbox_events.c
        conn.execute(
            outbox_events.delete().where(o.customer_id == "cust_1", o.dispatched_at.is_not(None))
        )
        removed = parts.purge(conn, project_id, "cust_1")
    assert removed == 1
    rows = [row for row in _stored(container) if row["type"] == "customer.updated"]
    assert [row["data"]["v"] for row in rows] == [without_unset(later)] * 2
    assert all(row["raw"]["parts"] for row in rows)


def test_fan_out_and_sendout_search_see_the_whole_data(container: Any) -> None:
    """The relay sends the data with its parts; the search finds values held in a part."""
    project_id = container.default_project["id"]
    webhooks.create(container.uow, project_id, EndpointFields("http://127.0.0.1:9/", ()))
    events = _events()
    _write(container, events)
    delivery.cycle(container.uow, delivery.Capacity(limit=16, per_channel=8))
    with container.engine.connect() as conn:
        sendouts = SendoutRepository(conn, project_id)
        found, total = sendouts.page(SendoutFilter(mentions=("C" * 300,)), limit=10, offset=0)
        assert total == 2  # the two events carrying VOUCHER, whose copy is a part
        nothing = sendouts.page(SendoutFilter(mentions=("absent",)), limit=10, offset=0)
        assert nothing[1] == 0
    bodies = {row.event_type: orjson.loads(row.body) for row in found}
    sent = bodies["voucher.loyalty_card.points_expired"]["data"]
    assert sent == without_unset(events[0].data)
