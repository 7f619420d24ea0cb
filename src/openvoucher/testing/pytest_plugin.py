"""pytest fixtures for testing a Voucherify integration against openvoucher.

Loaded automatically (entry point ``pytest11``) once openvoucher is installed. Fixtures:

- ``openvoucher_server`` (session): an isolated ``openvoucher serve --dev`` subprocess on a
  free loopback port, a fresh SQLite file and fresh keys;
- ``voucherify_client``: the official ``voucherify`` SDK's ``ApiClient`` configured for it
  (skips the test when the SDK is not installed);
- ``webhook_recorder``: a loopback receiver registered as the project's webhook endpoint for
  the test, with ``wait_for(type, timeout)`` and signature verification;
- ``openvoucher_clock``: time travel (``advance("12mo")``, ``set``, ``freeze``, ``unfreeze``).

Nothing starts unless a test asks for one of these fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from openvoucher.testing.clock import DevClock
from openvoucher.testing.recorder import WebhookRecorder
from openvoucher.testing.server import OpenvoucherServer


@pytest.fixture(scope="session")
def openvoucher_server() -> Iterator[OpenvoucherServer]:
    """An isolated openvoucher server for the test session."""
    server = OpenvoucherServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def voucherify_client(openvoucher_server: OpenvoucherServer) -> Iterator[Any]:
    """The official Voucherify SDK client, pointed at the server with the project's keys."""
    voucherify = pytest.importorskip("voucherify")
    configuration = voucherify.Configuration(
        host=openvoucher_server.url,
        api_key={
            "X-App-Id": openvoucher_server.app_id,
            "X-App-Token": openvoucher_server.app_token,
        },
    )
    with voucherify.ApiClient(configuration) as client:
        yield client


@pytest.fixture
def webhook_recorder(openvoucher_server: OpenvoucherServer) -> Iterator[WebhookRecorder]:
    """A receiver registered as the project's webhook endpoint for this test."""
    recorder = WebhookRecorder(openvoucher_server.webhook_secret)
    server = openvoucher_server
    recorder.register(server.url, server.project_id, server.management_headers)
    try:
        yield recorder
    finally:
        recorder.unregister(server.url, server.project_id, server.management_headers)
        recorder.close()


@pytest.fixture
def openvoucher_clock(openvoucher_server: OpenvoucherServer) -> DevClock:
    """The session project's clock (per project; moves persist for the session)."""
    return DevClock(openvoucher_server.url, openvoucher_server.headers)
