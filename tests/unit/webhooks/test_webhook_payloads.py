"""Envelopes: project and distribution shapes, raw payloads, stable bytes."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from openvoucher.webhooks import payloads

EVENT = payloads.OutboxEvent(
    id="evt_1",
    project_id="proj_1",
    type="customer.created",
    data={"customer": {"id": "cust_1", "name": "Ada"}},
    created_at=datetime(2024, 2, 9, 11, 11, 11, 111000, tzinfo=UTC),
    entity_id="cust_1",
)
WHEN = datetime(2024, 2, 9, 11, 11, 12, tzinfo=UTC)


def test_project_envelope_fields() -> None:
    """id, project_id, created_at, type, data, source and event, in that order."""
    target = payloads.Target("webhook", "wh_1", "https://r.example/h")
    body = payloads.envelope("whs_1", WHEN, EVENT, target)
    assert list(body) == ["id", "project_id", "created_at", "type", "data", "source", "event"]
    assert body["created_at"] == "2024-02-09T11:11:12.000Z"
    assert body["type"] == "customer.created"
    assert body["source"] == {
        "id": "wh_1",
        "object": "webhook",
        "target_url": "https://r.example/h",
    }
    assert body["event"] == {
        "id": "evt_1",
        "type": "customer.created",
        "created_at": "2024-02-09T11:11:11.111Z",
        "entity_id": "cust_1",
        "group_id": "evt_1",
        "event_source": {"channel": "API"},
    }


def test_distribution_envelope_uses_event_name_and_template() -> None:
    """type is the channel's event name; data is the rendered template."""
    target = payloads.Target(
        "distribution",
        "dist_1",
        "https://r",
        event_name="Hello",
        payload={"n": "{{customer.name}}"},
    )
    body = payloads.envelope("whs_2", WHEN, EVENT, target)
    assert (body["type"], body["data"], body["source"]["object"]) == (
        "Hello",
        {"n": "Ada"},
        "distribution",
    )
    assert body["event"]["type"] == "customer.created"


def test_raw_payload_is_sent_at_the_root() -> None:
    """raw_payload sends the template alone (or the event data without one)."""
    raw = payloads.Target(
        "distribution", "d", "u", payload={"to": "{{customer.id}}"}, raw_payload=True
    )
    assert payloads.envelope("whs_3", WHEN, EVENT, raw) == {"to": "cust_1"}
    bare = payloads.Target("distribution", "d", "u", raw_payload=True)
    assert payloads.envelope("whs_3", WHEN, EVENT, bare) == EVENT.data


def test_body_bytes_are_deterministic() -> None:
    """The same sendout renders to identical bytes."""
    target = payloads.Target("webhook", "wh_1", "u")
    first = payloads.body("whs_1", WHEN, EVENT, target)
    assert first == payloads.body("whs_1", WHEN, EVENT, target)
    assert orjson.loads(first)["id"] == "whs_1"
