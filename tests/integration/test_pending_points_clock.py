"""Pending points activate on their day when a project's dev clock moves forward."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.catalog_helpers import outbox
from tests.support.server import RunningServer, new_project
from tests.support.webhook_spec import data_errors

START = "2035-01-10T12:00:00.000Z"
RULE = {
    "event": "order.paid",
    "source": {"banner": "Held for 3 days"},
    "loyalty": {
        "type": "PROPORTIONAL",
        "calculation_type": "ORDER_TOTAL_AMOUNT",
        "order": {"total_amount": {"every": 100, "points": 1}},
    },
    "pending_points": {"period_type": "DAY", "period_value": 3},
}


def _ok(reply: httpx.Response) -> Any:
    assert reply.status_code == 200, reply.text
    return reply.json()


def _clock(http: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    state: dict[str, Any] = _ok(http.post("/v1/_test/clock", json=body))
    return state


def _club_with_member(http: httpx.Client) -> str:
    card = {"points": 0, "expiration_rules": {"period_type": "MONTH", "period_value": 12}}
    voucher = {"type": "LOYALTY_CARD", "loyalty_card": card, "code_config": {"pattern": "PP-####"}}
    club = _ok(http.post("/v1/loyalties", json={"name": "Club", "voucher": voucher}))
    _ok(http.post(f"/v1/loyalties/{club['id']}/earning-rules", json=[RULE]))
    member = {"customer": {"source_id": "pat", "name": "Pat"}}
    code: str = _ok(http.post(f"/v1/loyalties/{club['id']}/members", json=member))["code"]
    return code


def _pay(http: httpx.Client, amount: int) -> None:
    _ok(
        http.post(
            "/v1/orders",
            json={"status": "PAID", "amount": amount, "customer": {"source_id": "pat"}},
        )
    )


def _card(http: httpx.Client, code: str) -> dict[str, Any]:
    found: dict[str, Any] = _ok(http.get(f"/v1/loyalties/members/{code}"))["loyalty_card"]
    return found


def _activations(http: httpx.Client, code: str) -> list[dict[str, Any]]:
    rows = _ok(http.get(f"/v1/loyalties/members/{code}/transactions", params={"order": "id"}))
    return [row for row in rows["data"] if row["type"] == "PENDING_POINTS_ACTIVATION"]


def test_advancing_the_clock_activates_pending_points_on_their_day(
    dev_server: RunningServer,
) -> None:
    """Points held 3 days join the balance at 00:00 UTC of their day, as an AUTOMATIC
    activation whose expiry bucket counts from that day; later entries wait for theirs."""
    project = new_project(dev_server, "pending clock")
    with project.client() as http:
        _clock(http, {"freeze": True, "set": START})
        code = _club_with_member(http)
        _pay(http, 10_000)
        _clock(http, {"advance": "1d"})
        _pay(http, 5_000)
        early = _clock(http, {"advance": "1d"})
        assert [s["activated_pending_points"] for s in early["steps"]] == [0]
        waiting = _card(http, code)
        assert (waiting["balance"], waiting["pending_points"]) == (0, 150)
        moved = _clock(http, {"advance": "1d"})
        steps = [(s["at"], s["activated_pending_points"]) for s in moved["steps"]]
        assert steps == [("2035-01-13T00:00:00.000Z", 1), ("2035-01-13T12:00:00.000Z", 0)]
        first = _card(http, code)
        (activation,) = _activations(http, code)
        _clock(http, {"advance": "1d"})
        second = _card(http, code)
        expiry = _ok(http.get(f"/v1/loyalties/members/{code}/transactions"))
        _clock(http, {"advance": "12mo"})
        last = _card(http, code)
    assert (first["balance"], first["points"], first["pending_points"]) == (100, 100, 50)
    assert first["next_expiration_date"] == "2036-01-13"
    assert activation["created_at"] == "2035-01-13T00:00:00.000Z"
    assert activation["source"] == "Automation"
    assert activation["details"]["balance"]["operation_type"] == "AUTOMATIC"
    assert activation["details"]["balance"]["points"] == 100
    assert (second["balance"], second["pending_points"]) == (150, 0)
    assert [t["type"] for t in expiry["data"]] == ["PENDING_POINTS_ACTIVATION"] * 2
    assert (last["balance"], last["points"]) == (50, 150)
    events = [
        row for row in outbox(dev_server, project) if "pending_points.activated" in row["type"]
    ]
    assert len(events) == 4
    for row in events:
        assert data_errors(row["type"], row["data"]) == []
    ours = [row["data"] for row in events if row["type"].startswith("voucher.")]
    assert [e["balance"]["balance"] for e in ours] == [100, 150]
    assert [e["balance"]["operation_type"] for e in ours] == ["AUTOMATIC", "AUTOMATIC"]
    assert [e["voucher"]["loyalty_card"]["pending_points"] for e in ours] == [50, 0]
