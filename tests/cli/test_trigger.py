"""``openvoucher trigger`` makes genuine, signed webhooks happen on a running server."""

from __future__ import annotations

import pytest

from openvoucher.cli.remote import Remote
from openvoucher.cli.scenarios import scenarios
from openvoucher.cli.trigger import trigger
from openvoucher.testing import OpenvoucherServer, WebhookRecorder
from tests.cli.dev_server import dev_server, recorder, run_cli

__all__ = ["dev_server", "recorder"]


def test_list_names_every_event(dev_server: OpenvoucherServer) -> None:
    """--list shows the gift, loyalty and redemption events with what each trigger does."""
    listed = run_cli(dev_server, "trigger", "--list")
    names = {line.split()[0] for line in listed.splitlines()}
    assert {"customer.created", "voucher.gift.balance_added", "redemption.succeeded"} <= names
    assert "voucher.loyalty_card.points_expired" in names
    assert names == set(scenarios())


@pytest.mark.parametrize(
    "event", ["voucher.gift.balance_added", "redemption.rollback.failed", "campaign.enabled"]
)
def test_trigger_delivers_the_event(
    dev_server: OpenvoucherServer, recorder: WebhookRecorder, event: str
) -> None:
    """The command runs real operations; the receiver gets the event, validly signed."""
    output = run_cli(dev_server, "trigger", event)
    assert output.startswith(f"triggered {event}")
    delivered = recorder.wait_for(event, timeout=15)
    assert delivered.signature_valid
    assert delivered.id.startswith("whs_")


def test_every_listed_event_arrives(
    dev_server: OpenvoucherServer, recorder: WebhookRecorder
) -> None:
    """Running each scenario once delivers every event type that --list offers."""
    remote = Remote(dev_server.url, dev_server.app_id, dev_server.app_token)
    done: set[int] = set()
    for event, entry in scenarios().items():
        if id(entry) not in done:
            done.add(id(entry))
            trigger(remote, event)
    for event in scenarios():
        assert recorder.wait_for(event, timeout=20).signature_valid, event


def test_unknown_event_is_refused(dev_server: OpenvoucherServer) -> None:
    """An event nothing emits is an error, never a fake."""
    output = run_cli(dev_server, "trigger", "voucher.teleported", check=False)
    assert "cannot trigger 'voucher.teleported'" in output
