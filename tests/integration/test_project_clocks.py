"""Per-project dev clocks: advancing one project's time runs only that project's due work."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from openvoucher.adapters.clock import ProjectClocks
from openvoucher.kernel.clock import parse_datetime
from openvoucher.platform.repositories.dev_clock import project_clocks
from tests.support.receiver import Receiver, running_receiver
from tests.support.server import Project, RunningServer, new_project

START = "2035-01-10T12:00:00.000Z"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A loopback receiver recording every webhook."""
    with running_receiver() as running:
        yield running


def _clock(http: httpx.Client, body: dict[str, Any] | None = None) -> dict[str, Any]:
    reply = http.post("/v1/_test/clock", json=body) if body else http.get("/v1/_test/clock")
    assert reply.status_code == 200, reply.text
    state: dict[str, Any] = reply.json()
    return state


def _member_with_points(http: httpx.Client, points: int) -> str:
    card = {"points": 0, "expiration_rules": {"period_type": "MONTH", "period_value": 12}}
    voucher = {"type": "LOYALTY_CARD", "loyalty_card": card, "code_config": {"pattern": "PC-####"}}
    club = http.post("/v1/loyalties", json={"name": "Club", "voucher": voucher}).json()
    member = {"customer": {"source_id": "member", "name": "Mo"}}
    code: str = http.post(f"/v1/loyalties/{club['id']}/members", json=member).json()["code"]
    added = http.post(f"/v1/loyalties/members/{code}/balance", json={"points": points})
    assert added.status_code == 200, added.text
    return code


def _failing_endpoint(
    server: RunningServer, project: Project, http: httpx.Client, url: str
) -> None:
    """A customer.created endpoint whose next attempt fails (the dev failure injection)."""
    reply = httpx.post(
        f"{server.base_url}/management/v1/projects/{project.id}/webhooks",
        json={"target_url": url, "events": ["customer.created"]},
        headers=server.management_headers,
    )
    assert reply.status_code == 200, reply.text
    plan = {"fail_next": 1, "mode": "status500"}
    failing = http.post(f"/v1/_test/webhooks/{reply.json()['id']}/failures", json=plan)
    assert failing.json()["fail_next"] == 1


def _sendout(http: httpx.Client, attempts: int) -> dict[str, Any]:
    params = {"type": "customer.created", "customer": "retry-me"}
    for _ in range(200):
        found = http.get("/v1/webhooks/sendouts", params=params).json()["sendouts"]
        if found and found[0]["attempts_count"] >= attempts:
            sendout: dict[str, Any] = http.get(f"/v1/webhooks/sendouts/{found[0]['id']}").json()
            return sendout
        time.sleep(0.05)
    raise AssertionError("no attempt recorded")


def _project(server: RunningServer, receiver: Receiver, name: str) -> tuple[Project, str]:
    """A project frozen at START with 120 points and one failed customer.created sendout."""
    project = new_project(server, name)
    with project.client() as http:
        assert _clock(http, {"freeze": True, "set": START})["now"] == START
        code = _member_with_points(http, 120)
        _failing_endpoint(server, project, http, receiver.url)
        assert http.post("/v1/customers", json={"source_id": "retry-me"}).status_code == 200
        first = _sendout(http, 1)
    assert first["status"] == "PENDING"
    assert [a["status_code"] for a in first["attempts"]] == [500]
    return project, code


def test_advancing_one_project_leaves_the_other_alone(
    dev_server: RunningServer, receiver: Receiver
) -> None:
    """Two projects frozen at one instant; advancing A 13 months expires only A's points and
    fires only A's retry; B's time, points and pending retry stay until B's clock moves."""
    a, code_a = _project(dev_server, receiver, "A")
    b, code_b = _project(dev_server, receiver, "B")
    with a.client() as http_a, b.client() as http_b:
        moved = _clock(http_a, {"advance": "13mo"})
        assert [s["expired_point_buckets"] for s in moved["steps"] if s["expired_point_buckets"]]
        card_a = http_a.get(f"/v1/loyalties/members/{code_a}").json()["loyalty_card"]
        history_a = http_a.get(f"/v1/loyalties/members/{code_a}/transactions").json()["data"]
        retried_a = _sendout(http_a, 2)
        assert _clock(http_b)["now"] == START
        card_b = http_b.get(f"/v1/loyalties/members/{code_b}").json()["loyalty_card"]
        history_b = http_b.get(f"/v1/loyalties/members/{code_b}/transactions").json()["data"]
        waiting_b = _sendout(http_b, 1)
        _clock(http_b, {"advance": "5s"})
        retried_b = _sendout(http_b, 2)
        after_b = http_b.get(f"/v1/loyalties/members/{code_b}").json()["loyalty_card"]
    assert moved["now"] == "2036-02-10T12:00:00.000Z"
    assert moved["project_id"] == a.id
    assert card_a["balance"] == 0
    expired = [t for t in history_a if t["type"] == "POINTS_EXPIRATION"]
    assert len(expired) == 1
    assert expired[0]["details"]["balance"]["points"] == -120
    assert parse_datetime(expired[0]["created_at"]) > parse_datetime(START)
    assert retried_a["status"] == "DELIVERED"
    assert [x["status_code"] for x in retried_a["attempts"]] == [500, 200]
    assert card_b["balance"] == 120
    assert "POINTS_EXPIRATION" not in [t["type"] for t in history_b]
    assert waiting_b["status"] == "PENDING"
    assert len(waiting_b["attempts"]) == 1
    assert retried_b["status"] == "DELIVERED"
    assert [x["status_code"] for x in retried_b["attempts"]] == [500, 200]
    assert after_b["balance"] == 120


def test_project_clock_settings_persist_and_others_follow_the_base(
    dev_server: RunningServer,
) -> None:
    """A project's own time is stored; a project that never moved its clock follows the base."""
    moved = new_project(dev_server, "moved")
    plain = new_project(dev_server, "plain")
    with moved.client() as http:
        _clock(http, {"freeze": True, "set": "2040-06-01T00:00:00Z"})
    clocks = dev_server.container.uow.times
    assert isinstance(clocks, ProjectClocks)
    reloaded = ProjectClocks(dev_server.clock)
    with dev_server.container.engine.connect() as conn:
        reloaded.load(project_clocks(conn))
    assert reloaded.now_for(moved.id) == parse_datetime("2040-06-01T00:00:00Z")
    assert reloaded.frozen(moved.id)
    with plain.client() as http:
        state = _clock(http)
    assert state["own"] is False
    assert state["frozen"] is False
    assert abs((parse_datetime(state["now"]) - dev_server.clock.now()).total_seconds()) < 5


def test_time_travel_judges_weekdays_in_the_project_time_zone(
    dev_server: RunningServer,
) -> None:
    """optimize/time-limits.mdx: a Tuesday-only code of a Tokyo project is valid once the
    project's own clock travels past Monday 15:00 UTC (Tuesday 00:00 in Tokyo)."""
    project = new_project(dev_server, "tokyo")
    headers = dev_server.management_headers
    url = f"{dev_server.base_url}/management/v1/projects/{project.id}"
    assert httpx.put(url, json={"timezone": "Asia/Tokyo"}, headers=headers).status_code == 200
    with project.client() as http:
        _clock(http, {"freeze": True, "set": "2036-01-07T14:00:00Z"})  # Monday 23:00 in Tokyo
        body = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 100}}
        made = http.post("/v1/vouchers/TUE", json={**body, "validity_day_of_week": [2]})
        assert made.status_code == 200, made.text
        check = {"redeemables": [{"object": "voucher", "id": "TUE"}], "order": {"amount": 500}}
        assert http.post("/v1/validations", json=check).json()["valid"] is False
        _clock(http, {"advance": "2h"})
        assert http.post("/v1/validations", json=check).json()["valid"] is True
