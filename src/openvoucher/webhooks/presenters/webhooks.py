"""Webhook endpoints, sendouts and attempts in their JSON shapes."""

from __future__ import annotations

from typing import Any

import orjson

from openvoucher.kernel.clock import iso
from openvoucher.webhooks.model import Attempt, Sendout, WebhookEndpoint


def webhook(endpoint: WebhookEndpoint) -> dict[str, Any]:
    """A project webhook endpoint as the management API returns it (``headers``: ours)."""
    return {
        "id": endpoint.id,
        "object": "webhook",
        "created_at": iso(endpoint.created_at),
        "updated_at": iso(endpoint.updated_at),
        "target_url": endpoint.target_url,
        "events": list(endpoint.events),
        "active": endpoint.active,
        "headers": dict(endpoint.headers),
    }


def sendout(found: Sendout) -> dict[str, Any]:
    """One entry of the sendout log."""
    return {
        "id": found.id,
        "object": "webhook_sendout",
        "status": found.status,
        "event": {"id": found.event_id, "type": found.event_type},
        "source": {
            "id": found.source_id,
            "object": found.source_object,
            "target_url": found.target_url,
        },
        "attempts_count": found.attempts,
        "last_status_code": found.last_status_code,
        "last_error": found.last_error,
        "next_attempt_at": iso(found.next_attempt_at) if found.status == "PENDING" else None,
        "created_at": iso(found.created_at),
        "updated_at": iso(found.updated_at),
        "delivered_at": iso(found.delivered_at),
    }


def attempt(tried: Attempt) -> dict[str, Any]:
    """One delivery attempt."""
    return {
        "attempt": tried.attempt,
        "started_at": iso(tried.started_at),
        "duration_ms": tried.duration_ms,
        "status_code": tried.status_code,
        "response_excerpt": tried.response_excerpt,
        "error": tried.error,
    }


def sendout_detail(found: Sendout) -> dict[str, Any]:
    """A sendout with the exact payload sent and every attempt."""
    return {
        **sendout(found),
        "payload": orjson.loads(found.body),
        "attempts": [attempt(a) for a in found.attempt_log],
    }
