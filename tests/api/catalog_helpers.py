"""Helpers for the campaign and voucher tests: outbox rows and async action polling."""

from __future__ import annotations

import time
from typing import Any

import httpx
from sqlalchemy import select

from openvoucher.adapters.db import outbox_parts
from openvoucher.adapters.db.schema.outbox import outbox_events
from tests.support.server import Project, RunningServer


def outbox(server: RunningServer, project: Project) -> list[dict[str, Any]]:
    """The project's outbox rows, oldest first, with their whole data (parts put back)."""
    query = (
        select(outbox_events)
        .where(outbox_events.c.project_id == project.id)
        .order_by(outbox_events.c.seq)
    )
    with server.container.engine.connect() as conn:
        rows = [dict(row) for row in conn.execute(query).mappings()]
        outbox_parts.expand(conn, rows)
    return rows


def event_types(server: RunningServer, project: Project) -> list[str]:
    """The types of the project's outbox rows."""
    return [row["type"] for row in outbox(server, project)]


def wait_for_action(http: httpx.Client, action_id: str, timeout: float = 30) -> dict[str, Any]:
    """Poll ``GET /v1/async-actions/{id}`` until it is DONE or FAILED."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body: dict[str, Any] = http.get(f"/v1/async-actions/{action_id}").json()
        if body["status"] in {"DONE", "FAILED"}:
            return body
        time.sleep(0.05)
    raise AssertionError(f"async action {action_id} did not finish")


def discount_campaign(http: httpx.Client, name: str = "Spring", **extra: Any) -> dict[str, Any]:
    """Create a DISCOUNT_COUPONS campaign (10% off) and return it."""
    body = {
        "name": name,
        "campaign_type": "DISCOUNT_COUPONS",
        "type": "AUTO_UPDATE",
        "voucher": {
            "type": "DISCOUNT_VOUCHER",
            "discount": {"type": "PERCENT", "percent_off": 10, "amount_limit": 1500},
            "code_config": {"pattern": "SPR-####", "charset": "0123456789"},
        },
        **extra,
    }
    response = http.post("/v1/campaigns", json=body)
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created
