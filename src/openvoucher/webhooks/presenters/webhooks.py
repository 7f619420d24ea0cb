"""Webhook endpoints, sendouts and attempts in their JSON shapes."""

from __future__ import annotations

from typing import Any

import orjson

from openvoucher.kernel.clock import iso
from openvoucher.webhooks.model import WebhookEndpoint


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


def sendout(row: dict[str, Any]) -> dict[str, Any]:
    """One entry of the sendout log."""
    return {
        "id": row["id"],
        "object": "webhook_sendout",
        "status": row["status"],
        "event": {"id": row["event_id"], "type": row["event_type"]},
        "source": {
            "id": row["source_id"],
            "object": row["source_object"],
            "target_url": row["target_url"],
        },
        "attempts_count": row["attempts"],
        "last_status_code": row["last_status_code"],
        "last_error": row["last_error"],
        "next_attempt_at": iso(row["next_attempt_at"]) if row["status"] == "PENDING" else None,
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "delivered_at": iso(row["delivered_at"]),
    }


def attempt(row: dict[str, Any]) -> dict[str, Any]:
    """One delivery attempt."""
    return {
        "attempt": row["attempt"],
        "started_at": iso(row["started_at"]),
        "duration_ms": row["duration_ms"],
        "status_code": row["status_code"],
        "response_excerpt": row["response_excerpt"],
        "error": row["error"],
    }


def sendout_detail(row: dict[str, Any]) -> dict[str, Any]:
    """A sendout with the exact payload sent and every attempt."""
    return {
        **sendout(row),
        "payload": orjson.loads(bytes(row["body"])),
        "attempts": [attempt(a) for a in row.get("attempt_log", [])],
    }
