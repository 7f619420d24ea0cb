"""The relay on both databases: exhausted retries, slow endpoints, rollbacks, distributions."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from openvoucher.customers import customers
from tests.support.receiver import Receiver, running_receiver
from tests.support.server import Project, RunningServer, free_port
from tests.support.webhook_spec import errors, verify_voucherify


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A loopback receiver recording every webhook."""
    with running_receiver() as running:
        yield running


def add_webhook(server: RunningServer, project: Project, url: str, events: list[str]) -> str:
    """Create an endpoint through the management API; return its id."""
    reply = httpx.post(
        f"{server.base_url}/management/v1/projects/{project.id}/webhooks",
        json={"target_url": url, "events": events},
        headers=server.management_headers,
    )
    assert reply.status_code == 200, reply.text
    webhook_id: str = reply.json()["id"]
    return webhook_id


def get_webhook(server: RunningServer, project: Project, webhook_id: str) -> dict[str, Any]:
    """Read an endpoint through the management API."""
    reply = httpx.get(
        f"{server.base_url}/management/v1/projects/{project.id}/webhooks/{webhook_id}",
        headers=server.management_headers,
    )
    body: dict[str, Any] = reply.json()
    return body


def wait_until(check: Any, timeout: float = 10.0) -> Any:
    """Poll ``check()`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_endpoint_down_for_whole_schedule_is_disabled(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Four failed attempts on the (1, 1, 1) s schedule fail the sendout, disable the endpoint."""
    dead = f"http://127.0.0.1:{free_port()}/gone"
    webhook_id = add_webhook(server, project, dead, ["customer.created"])
    http.post("/v1/customers", json={"name": "Unreachable"})
    wait_until(lambda: get_webhook(server, project, webhook_id)["active"] is False, timeout=15)
    (entry,) = http.get("/v1/webhooks/sendouts").json()["sendouts"]
    detail = http.get(f"/v1/webhooks/sendouts/{entry['id']}").json()
    assert detail["status"] == "FAILED"
    assert len(detail["attempts"]) == 4
    assert all(a["status_code"] is None and a["error"] for a in detail["attempts"])
    http.post("/v1/customers", json={"name": "After disable"})
    time.sleep(0.3)
    assert http.get("/v1/webhooks/sendouts").json()["total"] == 1


def test_stalled_endpoint_does_not_delay_others(
    server: RunningServer, project: Project, http: httpx.Client, receiver: Receiver
) -> None:
    """While one endpoint stalls on every request, another gets every event at once."""
    with running_receiver() as slow:
        slow.stall_seconds = 1.5
        add_webhook(server, project, slow.url, ["customer.created"])
        add_webhook(server, project, receiver.url, ["customer.created"])
        started = time.monotonic()
        for n in range(8):
            http.post("/v1/customers", json={"name": f"fan {n}"})
        receiver.wait_count(8, timeout=5)
        assert time.monotonic() - started < 1.4
        assert len(slow.requests) == 0
        slow.wait_count(8, timeout=10)


def test_rolled_back_change_sends_nothing(
    server: RunningServer, project: Project, http: httpx.Client, receiver: Receiver
) -> None:
    """Events of a transaction that rolls back never reach the outbox or a receiver."""
    add_webhook(server, project, receiver.url, ["customer.created"])
    uow = server.container.uow

    def abandoned() -> None:
        with uow.write(project.id) as tx:
            customers.upsert(tx, {"name": "Ghost"})
            raise RuntimeError("abort")

    with pytest.raises(RuntimeError):
        abandoned()
    http.post("/v1/customers", json={"name": "Real"})
    (got,) = receiver.wait_count(1)
    time.sleep(0.3)
    assert len(receiver.requests) == 1
    assert got.json()["data"]["customer"]["name"] == "Real"


def test_distribution_templates_and_raw_payload(
    server: RunningServer, project: Project, http: httpx.Client, receiver: Receiver
) -> None:
    """A distribution renders its template into ``data``, or at the root with raw_payload."""
    template = '{"who": "Hi {{customer.name}}", "meta": {{customer.metadata}}, "x": {{nope}}}'
    body = {
        "name": "welcome",
        "trigger": "customer.created",
        "channels": [
            {
                "url": receiver.url + "/full",
                "event_name": "Welcome",
                "payload": template,
                "headers": {"X-Channel": "one"},
            },
            {
                "url": receiver.url + "/raw",
                "event_name": "Raw",
                "raw_payload": True,
                "payload": {"to": "{{customer.email}}", "n": "{{customer.metadata.n}}"},
            },
            {"url": receiver.url + "/plain", "event_name": "Plain"},
        ],
    }
    created = http.post("/v1/distributions", json=body)
    assert created.status_code == 200, created.text
    dist = created.json()
    assert (dist["object"], dist["active"], dist["trigger"]) == (
        "distribution",
        True,
        "customer.created",
    )
    made = http.post(
        "/v1/customers", json={"name": 'Zoë "Z"', "email": "z@x.io", "metadata": {"n": 3}}
    ).json()
    got = {r.path: r for r in receiver.wait_count(3)}
    full = got["/full"].json()
    assert errors(full, "WebhookDistributionPayload") == []
    assert full["type"] == "Welcome"
    assert full["source"] == {
        "id": dist["id"],
        "object": "distribution",
        "target_url": receiver.url + "/full",
    }
    assert full["event"]["type"] == "customer.created"
    assert full["data"] == {"who": 'Hi Zoë "Z"', "meta": {"n": 3}, "x": None}
    assert got["/full"].headers["x-channel"] == "one"
    assert got["/raw"].json() == {"to": "z@x.io", "n": "3"}
    assert got["/plain"].json()["data"]["customer"]["id"] == made["id"]
    for item in got.values():
        assert verify_voucherify(
            item.body, project.webhook_token, item.headers["x-voucherify-signature"]
        )
    listed = http.get("/v1/distributions").json()
    assert [d["id"] for d in listed["distributions"]] == [dist["id"]]
    paused = http.put(f"/v1/distributions/{dist['id']}", json={"active": False}).json()
    assert paused["active"] is False
    assert http.delete(f"/v1/distributions/{dist['id']}").status_code == 204
    assert http.get(f"/v1/distributions/{dist['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"trigger": "voucher.created", "channels": []}, "trigger"),
        ({"trigger": "customer.order.paid", "channels": []}, "channels"),
        ({"trigger": "customer.order.paid", "channels": [{"url": "x", "event_name": "e"}]}, "url"),
        (
            {
                "trigger": "customer.order.paid",
                "channels": [{"url": "http://h", "event_name": "e", "payload": "{oops"}],
            },
            "payload",
        ),
        (
            {
                "trigger": "customer.order.paid",
                "channels": [{"url": "http://h", "event_name": "e", "type": "email"}],
            },
            "type",
        ),
    ],
)
def test_distribution_rejects_bad_input(
    http: httpx.Client, body: dict[str, Any], fragment: str
) -> None:
    """Invalid distributions get a Voucherify-style 400."""
    reply = http.post("/v1/distributions", json=body)
    assert reply.status_code == 400
    assert fragment in reply.json()["details"]
