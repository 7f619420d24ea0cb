"""Outbox event → Voucherify v2024-01-01 webhook envelope, and its body bytes.

``WebhookProjectSettingPayload`` for project endpoints and ``WebhookDistributionPayload`` for
distribution channels: ``id`` (the sendout), ``project_id``, ``created_at``, ``type``, ``data``,
``source`` and ``event``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from openvoucher.kernel.bounded import dumps
from openvoucher.kernel.clock import iso
from openvoucher.webhooks import templates


@dataclass(frozen=True)
class OutboxEvent:
    """An event as the relay reads it from the outbox."""

    id: str
    project_id: str
    type: str
    data: dict[str, Any]
    created_at: datetime
    entity_id: str | None = None
    group_id: str | None = None


@dataclass(frozen=True)
class Target:
    """Where a sendout goes: a project endpoint or a distribution's webhook channel."""

    source_object: str
    source_id: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    channel: str | None = None
    event_name: str | None = None
    payload: Any = None
    raw_payload: bool = False


def event_object(event: OutboxEvent) -> dict[str, Any]:
    """The envelope's ``event``: what happened, when, to which entity, from which channel."""
    body: dict[str, Any] = {
        "id": event.id,
        "type": event.type,
        "created_at": iso(event.created_at),
    }
    if event.entity_id is not None:
        body["entity_id"] = event.entity_id
    body["group_id"] = event.group_id or event.id
    body["event_source"] = {"channel": "API"}
    return body


def envelope(sendout_id: str, created_at: datetime, event: OutboxEvent, target: Target) -> Any:
    """The JSON value sent for ``event`` to ``target`` (a raw distribution payload or envelope)."""
    data: Any = event.data
    if target.payload is not None:
        data = templates.render(target.payload, event.data)
    if target.raw_payload:
        return data
    kind = event.type if target.source_object == "webhook" else (target.event_name or "")
    return {
        "id": sendout_id,
        "project_id": event.project_id,
        "created_at": iso(created_at),
        "type": kind,
        "data": data,
        "source": {
            "id": target.source_id,
            "object": target.source_object,
            "target_url": target.url,
        },
        "event": event_object(event),
    }


def body(sendout_id: str, created_at: datetime, event: OutboxEvent, target: Target) -> bytes:
    """The exact bytes sent (and signed) on every attempt of the sendout."""
    return dumps(envelope(sendout_id, created_at, event, target))
