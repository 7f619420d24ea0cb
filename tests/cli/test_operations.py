"""Operating the server from the command line: versions, start-up mistakes as one line
before anything is created, keys printed when generated, JSON access lines off a terminal."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx
import orjson
import pytest

from openvoucher import __version__
from tests.cli.test_cli import FIXED, _command, run
from tests.support.server import free_port


@pytest.fixture
def bare_env(tmp_path: Path) -> dict[str, str]:
    """No openvoucher settings but a SQLite file in an empty folder (no fixed keys)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OPENVOUCHER_")}
    folder = tmp_path / "data"
    folder.mkdir()
    return {**clean, "OPENVOUCHER_DATABASE_URL": f"sqlite:///{folder / 'ov.db'}"}


def test_version_flag(bare_env: dict[str, str]) -> None:
    """``openvoucher --version`` prints the version."""
    done = run(bare_env, "--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"openvoucher {__version__}")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/shop", "unsupported database URL scheme 'mysql'; supported: "),
        ("sqlite:///{folder}/missing/ov.db", "the folder of the database file "),
        ("sqlite:///{folder}", " is a directory, not a file"),
    ],
)
def test_database_mistakes_are_one_line_before_anything_is_created(
    bare_env: dict[str, str], tmp_path: Path, url: str, message: str
) -> None:
    """An unsupported scheme (naming the supported ones) or an unusable SQLite path (naming
    it) stops ``serve`` with one line; the folder stays empty."""
    folder = tmp_path / "data"
    done = run({**bare_env, "OPENVOUCHER_DATABASE_URL": url.format(folder=folder)}, "serve")
    assert done.returncode == 1
    assert done.stderr.startswith("Error: ")
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stdout == ""
    assert list(folder.iterdir()) == []


def test_a_port_in_use_is_one_line_before_anything_is_created(
    bare_env: dict[str, str], tmp_path: Path
) -> None:
    """``serve`` on a port another program listens on stops at once, creating no database."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        done = run(bare_env, "serve", "--port", str(port))
    assert done.returncode == 1
    assert (
        done.stderr.strip() == f"Error: cannot listen on 127.0.0.1:{port}: address already in use"
    )
    assert list((tmp_path / "data").iterdir()) == []


def test_several_workers_need_postgresql(bare_env: dict[str, str]) -> None:
    """``serve --workers 2`` on SQLite is refused with the reason."""
    done = run(bare_env, "serve", "--workers", "2", "--port", str(free_port()))
    assert done.returncode == 1
    assert "--workers needs PostgreSQL" in done.stderr


def test_keys_env_prints_export_lines(bare_env: dict[str, str]) -> None:
    """``keys --env`` prints lines a shell can ``eval``, with the keys ``keys`` shows."""
    shown = run(bare_env, "keys").stdout
    exports = run(bare_env, "keys", "--env").stdout
    evaluated = subprocess.run(
        ["bash", "-c", exports + 'echo "$OPENVOUCHER_APP_ID $OPENVOUCHER_MANAGEMENT_TOKEN"'],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(line.startswith("export OPENVOUCHER_") for line in exports.splitlines())
    assert f"X-App-Id:    {evaluated[0]}" in shown
    assert f"X-Management-Token: {evaluated[1]}" in shown


def _serve(env: dict[str, str], port: int) -> tuple[str, str]:
    """Start ``serve``, make one call, stop it; its stdout and stderr."""
    process = subprocess.Popen(
        [*_command(), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
    finally:
        process.terminate()
    stdout, stderr = process.communicate(timeout=20)
    return stdout, stderr


def test_serve_prints_keys_only_when_it_generates_them(bare_env: dict[str, str]) -> None:
    """The first start prints the generated keys; the next says how to see them; the start-up
    line names the version; requests are JSON access lines on stderr (not a terminal)."""
    port = free_port()
    first_out, first_err = _serve(bare_env, port)
    assert "X-App-Token: " in first_out
    assert f"openvoucher {__version__} listening on http://127.0.0.1:{port}" in first_out
    again_out, _ = _serve(bare_env, port)
    assert "X-App-Token" not in again_out
    assert "run `openvoucher keys` to print them" in again_out
    lines = [orjson.loads(line) for line in first_err.splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "openvoucher.access"]
    assert access, first_err
    assert access[0]["route"] == "/health/live"
    assert access[0]["status"] == 200
    assert access[0]["request_id"] == ""


def test_fixed_keys_are_not_printed(bare_env: dict[str, str]) -> None:
    """Keys fixed in the environment are not echoed by ``serve``."""
    out, _ = _serve({**bare_env, **FIXED}, free_port())
    assert "ci-app-token" not in out
    assert "ci-management-token" not in out
