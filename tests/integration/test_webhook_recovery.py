"""Crash safety and multi-worker delivery with real ``openvoucher`` processes."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from openvoucher.adapters.db.engine import make_engine
from openvoucher.adapters.db.schema.catalog import customers
from openvoucher.adapters.db.schema.webhooks import webhook_attempts
from openvoucher.bootstrap import build
from openvoucher.config import Settings
from openvoucher.customers import customers as customer_service
from openvoucher.webhooks import endpoints as webhooks
from openvoucher.webhooks.model import EndpointFields
from openvoucher.webhooks.repositories import relay_signals
from tests.support.databases import postgres_base_url, postgres_database, sqlite_database
from tests.support.receiver import Receiver, running_receiver
from tests.support.server import free_port

KEYS = {
    "OPENVOUCHER_APP_ID": "crash-app",
    "OPENVOUCHER_APP_TOKEN": "crash-token",
    "OPENVOUCHER_MANAGEMENT_ID": "crash-mgmt",
    "OPENVOUCHER_MANAGEMENT_TOKEN": "crash-mgmt-token",
}


def _postgres(stack: ExitStack) -> str:
    base = postgres_base_url()
    if base is None:
        pytest.skip("needs OPENVOUCHER_TEST_POSTGRES_URL")
    return stack.enter_context(postgres_database(base))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of its own (no other relay may touch it)."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            yield stack.enter_context(sqlite_database(tmp_path))
        else:
            yield _postgres(stack)


def _env(url: str, *, keys: bool = True) -> dict[str, str]:
    return {
        **os.environ,
        **(KEYS if keys else {}),
        "OPENVOUCHER_DATABASE_URL": url,
        "OPENVOUCHER_WEBHOOK_RETRY_SCHEDULE": "1,1,1",
        "OPENVOUCHER_WEBHOOK_TIMEOUT": "1",
    }


def _serve(url: str, port: int, **extra: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        ["openvoucher", "serve", "--port", str(port)],
        env={**_env(url), **extra},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("openvoucher serve did not start")


APP_HEADERS = {"X-App-Id": KEYS["OPENVOUCHER_APP_ID"], "X-App-Token": KEYS["OPENVOUCHER_APP_TOKEN"]}


def _stream(base: str, stop: threading.Event, sent: list[str]) -> None:
    with httpx.Client(base_url=base, headers=APP_HEADERS, timeout=5) as client:
        n = 0
        while not stop.is_set():
            n += 1
            sent.append(f"s-{n}")
            try:
                client.post("/v1/customers", json={"source_id": f"s-{n}", "name": f"n{n}"})
            except httpx.HTTPError:
                return


def _committed(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(conn.execute(select(customers.c.id)).scalars())
    finally:
        engine.dispose()


def _delivered_by_customer(receiver: Receiver) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = defaultdict(set)
    for item in receiver.requests:
        if item.status == 200:
            payload = item.json()
            seen[payload["data"]["customer"]["id"]].add(payload["id"])
    return seen


def test_sigkill_mid_stream_loses_no_committed_event(fresh_url: str) -> None:
    """After SIGKILL and restart, every committed customer.created arrives, under one whs_ id."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    mgmt = {
        "X-Management-Id": KEYS["OPENVOUCHER_MANAGEMENT_ID"],
        "X-Management-Token": KEYS["OPENVOUCHER_MANAGEMENT_TOKEN"],
    }
    with running_receiver() as receiver:
        receiver.stall_seconds = 0.25  # slow enough that a backlog builds up before the kill
        server = _serve(fresh_url, port)
        try:
            project = httpx.get(f"{base}/management/v1/projects", headers=mgmt).json()["data"][0]
            httpx.post(
                f"{base}/management/v1/projects/{project['id']}/webhooks",
                headers=mgmt,
                json={"target_url": receiver.url, "events": ["customer.created"]},
            )
            stop, sent = threading.Event(), []
            writer = threading.Thread(target=_stream, args=(base, stop, sent))
            writer.start()
            receiver.wait_count(5, timeout=20)
            server.send_signal(signal.SIGKILL)
            server.wait(10)
            stop.set()
            writer.join(10)
            committed = _committed(fresh_url)
            before_restart = set(_delivered_by_customer(receiver))
            receiver.stall_seconds = 0.0
            server = _serve(fresh_url, port)
            receiver.wait_for(lambda _r: set(_delivered_by_customer(receiver)) >= committed, 30)
        finally:
            server.kill()
            server.wait(10)
    delivered = _delivered_by_customer(receiver)
    assert len(committed) >= 5
    assert before_restart < committed  # the restarted relay had undelivered events to recover
    assert set(delivered) == committed
    assert all(len(ids) == 1 for ids in delivered.values())


@pytest.mark.postgres
def test_two_workers_deliver_backlog_without_double_claims(tmp_path: Path) -> None:
    """Two ``openvoucher worker`` processes share a backlog; each sendout is attempted once."""
    with ExitStack() as stack:
        url = _postgres(stack)
        receiver = stack.enter_context(running_receiver())
        receiver.stall_seconds = 0.005
        container = build(Settings(database_url=url, run_relay=False))
        project_id = container.default_project["id"]
        webhooks.create(
            container.uow, project_id, EndpointFields(receiver.url, ("customer.created",))
        )
        with container.uow.write(project_id) as tx:
            for n in range(300):
                customer_service.upsert(tx, {"name": f"backlog {n}"})
        workers = [
            subprocess.Popen(
                ["openvoucher", "worker", "--poll-interval", "0.05", "--per-endpoint", "8"],
                env=_env(url, keys=False),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(2)
        ]
        try:
            receiver.wait_count(300, timeout=60)
            time.sleep(0.5)
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                assert worker.wait(20) == 0
        ids = [item.json()["id"] for item in receiver.requests]
        ok = select(webhook_attempts.c.sendout_id).where(webhook_attempts.c.status_code == 200)
        with container.engine.connect() as conn:
            delivered = list(conn.execute(ok).scalars())
        container.engine.dispose()
    assert len(ids) == 300
    assert len(set(ids)) == 300
    # Failed attempts (e.g. a refused connection under load) may be retried; no success twice.
    assert len(delivered) == len(set(delivered)) == 300


def _listening(container: Any) -> bool:
    """Whether a relay of another process has subscribed to commit notifications."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND query = :listen AND pid <> pg_backend_pid()"
    )
    with container.engine.connect() as conn:
        found = conn.execute(query, {"listen": f"LISTEN {relay_signals.CHANNEL}"}).scalar_one()
    return bool(found)


@pytest.mark.postgres
def test_worker_is_woken_by_a_commit_in_serve_without_relay() -> None:
    """A worker polling every 60 s relays an event committed by a relay-less serve at once."""
    with ExitStack() as stack:
        url = _postgres(stack)
        receiver = stack.enter_context(running_receiver())
        container = build(Settings(database_url=url, run_relay=False))
        project_id = container.default_project["id"]
        webhooks.create(container.uow, project_id, EndpointFields(receiver.url, ()))
        port = free_port()
        server = _serve(url, port, OPENVOUCHER_RUN_RELAY="false")
        client = stack.enter_context(
            httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=APP_HEADERS)
        )
        client.post("/v1/customers", json={"name": "before the worker"})
        worker = subprocess.Popen(
            ["openvoucher", "worker", "--poll-interval", "60"],
            env=_env(url, keys=False),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            receiver.wait_count(1, timeout=30)  # the worker's first cycle, at start
            deadline = time.monotonic() + 10
            while not _listening(container) and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.3)  # let the cycle that recorded that delivery end
            made = client.post("/v1/customers", json={"name": "woken"}).json()
            arrived = receiver.wait_count(2, timeout=15)[-1]  # a poll would take 60 s
        finally:
            worker.send_signal(signal.SIGTERM)
            server.terminate()
            assert worker.wait(20) == 0
            server.wait(20)
        container.engine.dispose()
    assert arrived.json()["data"]["customer"]["id"] == made["id"]
