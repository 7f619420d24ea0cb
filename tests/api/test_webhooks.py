"""Project webhooks: management API, signed delivery in the documented shape, sendout log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.receiver import Receiver, running_receiver
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import (
    data_errors,
    project_envelope_errors,
    verify_standard,
    verify_voucherify,
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A loopback receiver recording every webhook."""
    with running_receiver() as running:
        yield running


def management(server: RunningServer) -> httpx.Client:
    """A client with the management keys."""
    return httpx.Client(base_url=server.base_url, headers=server.management_headers, timeout=30)


def add_webhook(server: RunningServer, project: Project, **fields: Any) -> dict[str, Any]:
    """Create an endpoint through the management API."""
    with management(server) as client:
        reply = client.post(f"/management/v1/projects/{project.id}/webhooks", json=fields)
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def test_webhook_crud_accepts_misspelled_names(server: RunningServer, project: Project) -> None:
    """Endpoints are created, listed, read, updated and deleted; misspellings are corrected."""
    events = ["voucher.gift.balance_aded", "campaign.vouchers.aded", "customer.created"]
    created = add_webhook(server, project, target_url="https://example.com/h", events=events)
    assert created["object"] == "webhook"
    assert created["id"].startswith("wh_")
    assert created["active"] is True
    assert created["events"] == [
        "voucher.gift.balance_added",
        "campaign.vouchers.added",
        "customer.created",
    ]
    base = f"/management/v1/projects/{project.id}/webhooks"
    with management(server) as client:
        listed = client.get(base).json()
        assert [w["id"] for w in listed["data"]] == [created["id"]]
        assert listed["total"] == 1
        changed = client.put(
            f"{base}/{created['id']}", json={"active": False, "headers": {"X-Key": "k1"}}
        ).json()
        assert (changed["active"], changed["headers"]) == (False, {"X-Key": "k1"})
        assert changed["target_url"] == "https://example.com/h"
        assert client.get(f"{base}/{created['id']}").json()["active"] is False
        assert client.delete(f"{base}/{created['id']}").status_code == 204
        missing = client.get(f"{base}/{created['id']}")
        assert (missing.status_code, missing.json()["key"]) == (404, "not_found")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"target_url": "https://example.com", "events": ["voucher.exploded"]}, "voucher.exploded"),
        ({"target_url": "ftp://example.com", "events": ["voucher.created"]}, "target_url"),
        ({"events": ["voucher.created"]}, "target_url"),
        ({"target_url": "https://example.com", "events": "voucher.created"}, "events"),
        ({"target_url": "https://example.com", "events": [], "headers": {"a b": "1"}}, "headers"),
    ],
)
def test_webhook_rejects_bad_input(
    server: RunningServer, project: Project, body: dict[str, Any], fragment: str
) -> None:
    """Invalid endpoints get a Voucherify-style 400."""
    with management(server) as client:
        reply = client.post(f"/management/v1/projects/{project.id}/webhooks", json=body)
    assert reply.status_code == 400
    assert reply.json()["key"] == "invalid_payload"
    assert fragment in reply.json()["details"]


def test_webhook_of_unknown_project_is_404(server: RunningServer) -> None:
    """The project in the path must exist."""
    with management(server) as client:
        reply = client.post(
            "/management/v1/projects/proj_nope/webhooks",
            json={"target_url": "https://example.com", "events": ["voucher.created"]},
        )
    assert (reply.status_code, reply.json()["key"]) == (404, "not_found")


def test_customer_created_arrives_signed_in_documented_shape(
    server: RunningServer, project: Project, http: httpx.Client, receiver: Receiver
) -> None:
    """A signed customer.created envelope validates against the webhook spec."""
    hook = add_webhook(
        server,
        project,
        target_url=receiver.url + "/hooks",
        events=["customer.created"],
        headers={"X-Tenant": "acme"},
    )
    made = http.post("/v1/customers", json={"source_id": "c-1", "name": "Ada"}).json()
    http.put(f"/v1/customers/{made['id']}", json={"name": "Ada L."})  # not subscribed
    (got,) = receiver.wait_count(1)
    payload = got.json()
    assert project_envelope_errors(payload) == []
    assert data_errors("customer.created", payload["data"]) == []
    assert payload["type"] == "customer.created"
    assert payload["id"].startswith("whs_")
    assert payload["project_id"] == project.id
    assert payload["source"] == {
        "id": hook["id"],
        "object": "webhook",
        "target_url": hook["target_url"],
    }
    assert payload["event"]["entity_id"] == made["id"]
    assert payload["data"]["customer"]["name"] == "Ada"
    assert got.path == "/hooks"
    assert got.headers["x-tenant"] == "acme"
    assert got.headers["webhook-id"] == payload["id"]
    assert verify_voucherify(got.body, project.webhook_token, got.headers["x-voucherify-signature"])
    assert verify_standard(got.headers, got.body, project.webhook_token)
    assert not verify_voucherify(
        got.body + b" ", project.webhook_token, got.headers["x-voucherify-signature"]
    )


def test_failed_attempt_is_retried_and_logged(
    server: RunningServer, project: Project, http: httpx.Client, receiver: Receiver
) -> None:
    """500 then 200: delivered on the retry, same id and bytes, both attempts in the log."""
    add_webhook(server, project, target_url=receiver.url, events=["customer.created"])
    receiver.fail_next(1)
    http.post("/v1/customers", json={"name": "Retry Me"})
    first, second = receiver.wait_count(2, timeout=15)
    assert (first.status, second.status) == (500, 200)
    assert first.body == second.body
    assert first.headers["x-voucherify-signature"] == second.headers["x-voucherify-signature"]
    sendout_id = first.json()["id"]
    log = _wait_status(http, sendout_id, "DELIVERED")
    assert [a["status_code"] for a in log["attempts"]] == [500, 200]
    assert log["attempts_count"] == 2
    assert log["payload"] == second.json()
    assert receiver.failures_left == 0
    assert len(receiver.requests) == 2


def _wait_status(http: httpx.Client, sendout_id: str, status: str) -> dict[str, Any]:
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        body: dict[str, Any] = http.get(f"/v1/webhooks/sendouts/{sendout_id}").json()
        if body["status"] == status:
            return body
        time.sleep(0.05)
    raise AssertionError(f"sendout {sendout_id} never became {status}")


def test_sendout_log_lists_filters_and_retries(
    server: RunningServer, project: Project, http: httpx.Client, receiver: Receiver
) -> None:
    """The log filters by status and event type; a manual retry resends the same sendout."""
    hook = add_webhook(server, project, target_url=receiver.url, events=[])
    made = http.post("/v1/customers", json={"name": "Logged"}).json()
    http.delete(f"/v1/customers/{made['id']}")
    receiver.wait_count(2)
    deleted = http.get("/v1/webhooks/sendouts", params={"event_type": "customer.deleted"}).json()
    assert deleted["total"] == 1
    (entry,) = deleted["sendouts"]
    assert entry["source"]["id"] == hook["id"]
    _wait_status(http, entry["id"], "DELIVERED")
    assert http.get("/v1/webhooks/sendouts", params={"status": "delivered"}).json()["total"] == 2
    retried = http.post(f"/v1/webhooks/sendouts/{entry['id']}/retry").json()
    assert retried["id"] == entry["id"]
    third = receiver.wait_count(3)[2]
    assert third.json()["id"] == entry["id"]
    assert third.json()["type"] == "customer.deleted"
    bad = http.get("/v1/webhooks/sendouts", params={"status": "LOST"})
    assert (bad.status_code, bad.json()["key"]) == (400, "invalid_query_params")
    assert http.get("/v1/webhooks/sendouts/whs_missing").status_code == 404
