"""``serve --workers 2`` on PostgreSQL: two API processes answer requests, the one relay
delivers every event exactly once, and ``/metrics`` adds up both processes' counts."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.cli.test_cli import FIXED, _command
from tests.support.databases import postgres_base_url, postgres_database
from tests.support.receiver import Receiver, running_receiver
from tests.support.server import free_port

pytestmark = pytest.mark.postgres

APP = {"X-App-Id": FIXED["OPENVOUCHER_APP_ID"], "X-App-Token": FIXED["OPENVOUCHER_APP_TOKEN"]}
MANAGEMENT = {
    "X-Management-Id": FIXED["OPENVOUCHER_MANAGEMENT_ID"],
    "X-Management-Token": FIXED["OPENVOUCHER_MANAGEMENT_TOKEN"],
}


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[str]:
    """``openvoucher serve --workers 2`` on a fresh PostgreSQL database; its URL."""
    base = postgres_base_url()
    if base is None:
        pytest.skip("PostgreSQL tests need OPENVOUCHER_TEST_POSTGRES_URL (see README)")
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OPENVOUCHER_")}
    with postgres_database(base) as url, (tmp_path / "serve.log").open("w+") as log:
        env = {**clean, **FIXED, "OPENVOUCHER_DATABASE_URL": url}
        env["OPENVOUCHER_WEBHOOK_RETRY_SCHEDULE"] = "1,1"
        process = subprocess.Popen(
            [*_command(), "serve", "--workers", "2", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(base_url, process, tmp_path / "serve.log")
            yield base_url
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_ready(url: str, process: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited: {log.read_text()}")
        try:
            if httpx.get(url + "/health/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("serve --workers 2 did not become ready")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A loopback webhook receiver."""
    with running_receiver() as running:
        yield running


def _requests_counted(base_url: str, route: str) -> int:
    body = httpx.get(base_url + "/metrics", timeout=10).text
    pattern = rf'^openvoucher_http_requests_total\{{method="POST",route="{re.escape(route)}",'
    found = re.search(pattern + r'status="200"\} ([\d.]+)$', body, re.M)
    return 0 if found is None else int(float(found.group(1)))


def test_two_workers_serve_relay_once_and_add_up_metrics(workers: str, receiver: Receiver) -> None:
    """Customers created over fresh connections (spread over both processes) are all there,
    each ``customer.created`` arrives once, and ``/metrics`` counts every request."""
    projects = httpx.get(workers + "/management/v1/projects", headers=MANAGEMENT).json()
    project_id = projects["data"][0]["id"]
    hook = httpx.post(
        f"{workers}/management/v1/projects/{project_id}/webhooks",
        json={"target_url": receiver.url + "/hook", "events": ["customer.created"]},
        headers=MANAGEMENT,
    )
    assert hook.status_code == 200, hook.text
    count = 12
    for index in range(count):
        created = httpx.post(
            workers + "/v1/customers", json={"source_id": f"w{index}"}, headers=APP
        )
        assert created.status_code == 200, created.text
    listed = httpx.get(workers + "/v1/customers?limit=100", headers=APP).json()
    assert len(listed["customers"]) == count
    received = receiver.wait_count(count, timeout=30)
    time.sleep(1.0)  # a second relay would deliver duplicates by now
    sources = sorted(r.json()["data"]["customer"]["source_id"] for r in receiver.requests)
    assert sources == sorted(f"w{index}" for index in range(count)), len(received)
    assert _requests_counted(workers, "/v1/customers") == count
