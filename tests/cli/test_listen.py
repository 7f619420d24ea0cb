"""``openvoucher listen`` forwards the server's exact signed webhooks to a local app."""

from __future__ import annotations

import hashlib
import hmac
import subprocess
import sys

import httpx

from openvoucher.testing import OpenvoucherServer
from tests.cli.dev_server import CLI, cli_env, dev_server, run_cli
from tests.support.receiver import running_receiver

__all__ = ["dev_server"]


def _endpoints(server: OpenvoucherServer) -> list[dict[str, object]]:
    path = f"/management/v1/projects/{server.project_id}/webhooks"
    return list(server.management("GET", path)["data"])


def test_listen_forwards_signed_bytes_and_cleans_up(dev_server: OpenvoucherServer) -> None:
    """Each sendout reaches the app byte for byte with its signature; the endpoint goes on exit."""
    with running_receiver() as app:
        command = [sys.executable, "-c", CLI, "listen", "--forward-to", app.url + "/hooks"]
        command += ["--events", "customer.created,voucher.created"]
        listener = subprocess.Popen(
            command, env=cli_env(dev_server), stdout=subprocess.PIPE, text=True
        )
        assert listener.stdout is not None
        lines = [listener.stdout.readline() for _ in range(3)]
        assert lines[0].startswith("Ready: webhook endpoint wh_")
        secret = lines[2].rsplit(" ", 1)[1].strip()
        assert secret == dev_server.webhook_secret
        assert len(_endpoints(dev_server)) == 1
        run_cli(dev_server, "trigger", "customer.created")
        line = listener.stdout.readline().strip()
        (got,) = app.wait_count(1)
        listener.terminate()
        rest, _ = listener.communicate(timeout=20)
    body_type, ident, arrow, status, signature = line.split()
    assert (body_type, arrow, status) == ("customer.created", "->", "200")
    assert ident == got.headers["webhook-id"]
    assert ident.startswith("whs_")
    assert got.path == "/hooks"
    assert got.json()["type"] == "customer.created"
    expected = hmac.new(secret.encode(), got.body, hashlib.sha256).hexdigest()
    assert signature == f"x-voucherify-signature={expected}"
    assert got.headers["x-voucherify-signature"] == expected
    stored = httpx.get(
        f"{dev_server.url}/v1/webhooks/sendouts/{ident}/signature", headers=dev_server.headers
    ).json()
    assert stored["body"].encode() == got.body
    assert "endpoint removed" in rest
    assert _endpoints(dev_server) == []
    assert listener.returncode == 0
