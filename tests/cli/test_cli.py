"""The ``openvoucher`` command, end to end in subprocesses, on a temporary SQLite file."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from openvoucher import __version__
from openvoucher.adapters.clock import SystemClock
from openvoucher.adapters.db.engine import make_engine
from openvoucher.adapters.db.unit_of_work import SqlUnitOfWork
from openvoucher.platform import projects
from tests.support.server import free_port

FIXED = {
    "OPENVOUCHER_APP_ID": "ci-app-id",
    "OPENVOUCHER_APP_TOKEN": "ci-app-token",
    "OPENVOUCHER_MANAGEMENT_ID": "ci-management-id",
    "OPENVOUCHER_MANAGEMENT_TOKEN": "ci-management-token",
}
APP_HEADERS = {"X-App-Id": "ci-app-id", "X-App-Token": "ci-app-token"}


def _command() -> list[str]:
    script = shutil.which("openvoucher")
    if script:
        return [script]
    return [sys.executable, "-c", "from openvoucher.cli.main import main; main()"]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A clean environment: a fresh SQLite file and fixed keys, no other openvoucher settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OPENVOUCHER_")}
    return {**clean, **FIXED, "OPENVOUCHER_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``openvoucher ARGS`` to completion."""
    return subprocess.run(
        [*_command(), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_migrate_creates_the_schema(env: dict[str, str]) -> None:
    """``migrate`` succeeds on a new file and again on an up-to-date one."""
    for _ in range(2):
        done = run(env, "migrate")
        assert done.returncode == 0, done.stderr
        assert "schema is up to date" in done.stdout


def test_keys_prints_the_fixed_keys(env: dict[str, str]) -> None:
    """``keys`` shows the default project with the keys fixed by the environment, every time."""
    first = run(env, "keys")
    assert first.returncode == 0, first.stderr
    assert re.search(r"^project proj_\w+ \(Default project\)$", first.stdout, re.M)
    assert "X-App-Id:    ci-app-id" in first.stdout
    assert "X-App-Token: ci-app-token" in first.stdout
    assert "X-Management-Id:    ci-management-id" in first.stdout
    assert "X-Management-Token: ci-management-token" in first.stdout
    second = run(env, "keys")
    assert second.stdout == first.stdout
    assert first.stdout.count("X-App-Id:") == 1, "the fixed keys are the project's only app keys"


def test_create_project_prints_working_keys(env: dict[str, str]) -> None:
    """``keys create-project NAME`` makes a second project whose printed keys authenticate."""
    done = run(env, "keys", "create-project", "Shop two")
    assert done.returncode == 0, done.stderr
    project_id = re.search(r"^project (proj_\w+) \(Shop two\)$", done.stdout, re.M)
    key_id = re.search(r"X-App-Id:\s+(\S+)", done.stdout)
    token = re.search(r"X-App-Token:\s+(\S+)", done.stdout)
    assert project_id is not None
    assert key_id is not None
    assert token is not None
    engine = make_engine(env["OPENVOUCHER_DATABASE_URL"])
    try:
        principal = projects.authenticate(SqlUnitOfWork(engine, SystemClock()), key_id[1], token[1])
    finally:
        engine.dispose()
    assert principal is not None
    assert (principal.kind, principal.project_id) == ("app", project_id[1])
    assert project_id[1] not in run(env, "keys").stdout


def test_conflicting_fixed_key_is_a_clean_error(env: dict[str, str]) -> None:
    """Reusing a fixed key id with another token fails with one line, not a traceback."""
    assert run(env, "migrate").returncode == 0
    assert run(env, "keys").returncode == 0
    done = run({**env, "OPENVOUCHER_APP_TOKEN": "a-different-token"}, "keys")
    assert done.returncode == 1
    assert "Error: Key id ci-app-id is already in use" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        (
            "OPENVOUCHER_DATABASE_URL",
            "nosuchdb://x",
            "Error: unsupported database URL scheme 'nosuchdb'; supported: sqlite:",
        ),
        ("OPENVOUCHER_PORT", "eighty", "Error: invalid setting:"),
    ],
)
def test_bad_settings_are_clean_errors(
    env: dict[str, str], setting: str, value: str, message: str
) -> None:
    """An unusable database URL or a malformed number is a one-line error with status 1."""
    done = run({**env, setting: value}, "migrate")
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture
def served(env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``openvoucher serve --port N`` running in a subprocess until the test stops it."""
    port = free_port()
    process = subprocess.Popen(
        [*_command(), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base_url}/health", process)
        yield process, base_url
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)


def _wait_for(url: str, process: subprocess.Popen[str], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited early: {process.communicate()[1]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"serve did not answer {url}")


def test_serve_answers_and_stops_cleanly(served: tuple[subprocess.Popen[str], str]) -> None:
    """``serve`` answers /health and /v1 calls with the fixed keys, then stops on SIGTERM."""
    process, base_url = served
    health = httpx.get(f"{base_url}/health")
    assert health.json()["status"] == "ok"
    assert health.headers["x-openvoucher-version"] == __version__
    with httpx.Client(base_url=base_url, headers=APP_HEADERS, timeout=10) as client:
        created = client.post("/v1/customers", json={"source_id": "cli", "name": "Cli"})
        assert created.status_code == 200
        listed = client.get("/v1/customers").json()
        assert [c["source_id"] for c in listed["customers"]] == ["cli"]
    wrong = httpx.get(f"{base_url}/v1/customers", headers={**APP_HEADERS, "X-App-Token": "no"})
    assert wrong.status_code == 401
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=20)
    # uvicorn shuts down gracefully, then re-raises the signal so the exit status reports it.
    assert process.returncode in (0, -signal.SIGTERM)
    assert "Traceback" not in stderr
    assert f"openvoucher {__version__} listening on {base_url}" in stdout
    # The keys were fixed by the environment, not generated: not printed, but where they are.
    assert "ci-app-token" not in stdout
    assert "openvoucher keys" in stdout
