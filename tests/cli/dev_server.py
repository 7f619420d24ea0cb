"""A real ``openvoucher serve --dev`` subprocess for CLI end-to-end tests, and running the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from openvoucher.testing import OpenvoucherServer, WebhookRecorder

CLI = "from openvoucher.cli.main import main; main()"


@pytest.fixture(scope="module")
def dev_server() -> Iterator[OpenvoucherServer]:
    """``openvoucher serve --dev`` on a free port, temp SQLite file, fixed keys via env."""
    server = OpenvoucherServer.start()
    yield server
    server.stop()


@pytest.fixture
def recorder(dev_server: OpenvoucherServer) -> Iterator[WebhookRecorder]:
    """A loopback receiver registered as a webhook endpoint of the dev server's project."""
    receiver = WebhookRecorder(dev_server.webhook_secret)
    receiver.register(dev_server.url, dev_server.project_id, dev_server.management_headers)
    yield receiver
    receiver.unregister(dev_server.url, dev_server.project_id, dev_server.management_headers)
    receiver.close()


def cli_env(server: OpenvoucherServer) -> dict[str, str]:
    """The environment a user would set: the server URL and its keys."""
    return {**os.environ, **server.env, "OPENVOUCHER_URL": server.url}


def run_cli(server: OpenvoucherServer, *args: str, check: bool = True) -> str:
    """Run ``openvoucher ARGS`` as a subprocess against ``server``; its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args],
        env=cli_env(server),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if check:
        assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout + done.stderr
