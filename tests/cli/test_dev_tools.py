"""The dev tools as ``docs/testing-your-integration.md`` describes them: back to real time,
``reset`` reaching the running server's clock, ``listen`` with any key pair of the project,
dev-only commands against a server without ``--dev``, ``trigger`` cleaning up after itself."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import click
import httpx
import pytest

from openvoucher.cli.remote import Remote
from openvoucher.kernel.clock import parse_datetime
from openvoucher.testing import OpenvoucherServer
from tests.cli.dev_server import CLI, cli_env, dev_server, run_cli
from tests.support.server import Project, RunningServer

__all__ = ["dev_server"]


def _now(output: str) -> datetime:
    return parse_datetime(output.strip().splitlines()[-1].split(" ")[0])


def _near_real_time(moment: datetime) -> bool:
    return abs(moment - datetime.now(UTC)) < timedelta(minutes=1)


def test_clock_reset_returns_to_real_time(dev_server: OpenvoucherServer) -> None:
    """After a jump and a freeze, ``clock reset`` runs the project's clock on real time again;
    over HTTP ``reset`` must come alone."""
    run_cli(dev_server, "clock", "freeze")
    assert _now(run_cli(dev_server, "clock", "set", "2035-03-01T00:00:00Z")).year == 2035
    back = run_cli(dev_server, "clock", "reset")
    assert back.strip().endswith("(running)")
    assert _near_real_time(_now(back))
    with dev_server.client() as http:
        mixed = http.post("/v1/_test/clock", json={"reset": True, "freeze": True})
    assert mixed.status_code == 400
    assert "'reset' alone" in mixed.json()["details"]


def test_reset_also_resets_the_running_servers_clock(dev_server: OpenvoucherServer) -> None:
    """``openvoucher reset`` empties the project in the database and the running server's
    clock for it follows real time at once (no restart)."""
    run_cli(dev_server, "clock", "set", "2036-06-01T00:00:00Z")
    database = dev_server.env["OPENVOUCHER_DATABASE_URL"]
    done = run_cli(dev_server, "reset", "--yes", "--database-url", database)
    assert "the project's clock follows real time again" in done
    assert _near_real_time(_now(run_cli(dev_server, "clock", "show")))


def test_listen_works_with_a_second_key_pair(dev_server: OpenvoucherServer) -> None:
    """With the keys of another pair of the same project, ``listen`` finds the project."""
    database = dev_server.env["OPENVOUCHER_DATABASE_URL"]
    added = run_cli(dev_server, "keys", "--database-url", database, "add")
    app_id = re.search(r"X-App-Id:\s+(\S+)", added)
    app_token = re.search(r"X-App-Token:\s+(\S+)", added)
    assert app_id is not None
    assert app_token is not None
    env = {
        **cli_env(dev_server),
        "OPENVOUCHER_APP_ID": app_id.group(1),
        "OPENVOUCHER_APP_TOKEN": app_token.group(1),
    }
    listener = subprocess.Popen(
        [sys.executable, "-c", CLI, "listen"], env=env, stdout=subprocess.PIPE, text=True
    )
    assert listener.stdout is not None
    first = listener.stdout.readline()
    listener.terminate()
    listener.communicate(timeout=20)
    assert first.startswith("Ready: webhook endpoint wh_")
    assert f"of project {dev_server.project_id} " in first


def test_trigger_removes_its_fixtures(dev_server: OpenvoucherServer) -> None:
    """The customer a trigger creates is gone when the command ends."""
    output = run_cli(dev_server, "trigger", "customer.created")
    suffix = re.search(r"fixture\(s\) named \*-(\w+)", output)
    assert suffix is not None, output
    assert "removed its 1 fixture(s)" in output
    with dev_server.client() as http:
        gone = http.get(f"/v1/customers/trigger-customer-{suffix.group(1)}")
    assert gone.status_code == 404


def test_dev_commands_say_how_to_start_a_dev_server(
    server: RunningServer, project: Project
) -> None:
    """Against a server without ``--dev``, a dev-only call says to start it with ``--dev``."""
    remote = Remote(server.base_url, project.app_id, project.app_token)
    with pytest.raises(click.ClickException, match=r"start it with `openvoucher serve --dev`"):
        remote.call("GET", "/v1/_test/clock")
    plain = httpx.get(server.base_url + "/v1/_test/clock", headers=project.headers)
    assert plain.status_code == 404  # the API itself still answers like an unknown path
