"""Developers → send a test event: the trigger scenarios run against this server as the
project, and subscribed endpoints receive the event."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.dashboard.conftest import csrf_of
from tests.support.receiver import Receiver, running_receiver
from tests.support.server import Project, RunningServer


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A loopback receiver recording every webhook."""
    with running_receiver() as running:
        yield running


def test_test_event_reaches_the_endpoint(
    server: RunningServer, project: Project, dash: httpx.Client, receiver: Receiver
) -> None:
    """customer.created triggered from the dashboard is delivered to the subscribed endpoint."""
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as client:
        hook = client.post(
            f"/management/v1/projects/{project.id}/webhooks",
            json={"target_url": receiver.url + "/t", "events": ["customer.created"]},
        )
    assert hook.status_code == 200, hook.text
    path = f"/dashboard/p/{project.id}/developers/trigger"
    form = dash.get(path).text
    assert '<option value="customer.created"' in form
    reply = dash.post(path, data={"csrf": csrf_of(form), "event": "customer.created"})
    assert reply.status_code == 200
    suffix = reply.text.split("fixtures named *-")[1].split(".")[0]
    (got,) = receiver.wait_count(1)
    assert got.json()["type"] == "customer.created"
    assert got.json()["data"]["customer"]["source_id"] == f"trigger-customer-{suffix}"


def test_unknown_test_event_is_refused(project: Project, dash: httpx.Client) -> None:
    """An event no scenario makes is refused at the field."""
    path = f"/dashboard/p/{project.id}/developers/trigger"
    token = csrf_of(dash.get(path).text)
    reply = dash.post(path, data={"csrf": token, "event": "nothing.happened"})
    assert reply.status_code == 422
    assert "Choose an event from the list." in reply.text
