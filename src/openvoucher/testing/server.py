"""An isolated openvoucher server in a subprocess: free loopback port, fresh SQLite file,
fresh keys, dev features on, a compressed webhook retry schedule."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

START = "from openvoucher.cli.main import main; main()"


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class OpenvoucherServer:
    """A running server and the keys of its default project."""

    url: str
    app_id: str
    app_token: str
    management_id: str
    management_token: str
    project_id: str
    webhook_secret: str
    process: subprocess.Popen[bytes]
    directory: Path
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def start(cls, retry_schedule: str = "1,1,1", timeout: float = 30.0) -> OpenvoucherServer:
        """Start ``openvoucher serve --dev`` and wait until it answers."""
        directory = Path(tempfile.mkdtemp(prefix="openvoucher-"))
        port = free_port()
        keys = {name: secrets.token_hex(12) for name in ("app", "app_t", "mgmt", "mgmt_t")}
        env = {
            "OPENVOUCHER_DATABASE_URL": f"sqlite:///{directory / 'openvoucher.db'}",
            "OPENVOUCHER_PORT": str(port),
            "OPENVOUCHER_HOST": "127.0.0.1",
            "OPENVOUCHER_APP_ID": "app_" + keys["app"],
            "OPENVOUCHER_APP_TOKEN": keys["app_t"],
            "OPENVOUCHER_MANAGEMENT_ID": "mgmt_" + keys["mgmt"],
            "OPENVOUCHER_MANAGEMENT_TOKEN": keys["mgmt_t"],
            "OPENVOUCHER_WEBHOOK_RETRY_SCHEDULE": retry_schedule,
            "OPENVOUCHER_DEV": "1",
        }
        log = directory / "server.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-c", START, "serve", "--dev"],
                env={**os.environ, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        _wait(url, process, log, timeout)
        server = cls(
            url=url,
            app_id=env["OPENVOUCHER_APP_ID"],
            app_token=env["OPENVOUCHER_APP_TOKEN"],
            management_id=env["OPENVOUCHER_MANAGEMENT_ID"],
            management_token=env["OPENVOUCHER_MANAGEMENT_TOKEN"],
            project_id="",
            webhook_secret="",
            process=process,
            directory=directory,
            log=log,
            env=env,
        )
        server._load_project()
        return server

    @property
    def headers(self) -> dict[str, str]:
        """App key headers of the default project."""
        return {"X-App-Id": self.app_id, "X-App-Token": self.app_token}

    @property
    def management_headers(self) -> dict[str, str]:
        """Management key headers."""
        return {"X-Management-Id": self.management_id, "X-Management-Token": self.management_token}

    def client(self) -> httpx.Client:
        """An HTTP client with the project's app keys."""
        return httpx.Client(base_url=self.url, headers=self.headers, timeout=60)

    def management(self, method: str, path: str, body: Any = None) -> Any:
        """A management API call; its JSON answer (None for 204)."""
        response = httpx.request(
            method, self.url + path, json=body, headers=self.management_headers, timeout=30
        )
        response.raise_for_status()
        return None if response.status_code == 204 else response.json()

    def reset(self) -> dict[str, Any]:
        """Empty the project (``POST /v1/_test/reset``); keys and endpoints stay."""
        with self.client() as client:
            response = client.post("/v1/_test/reset")
            response.raise_for_status()
            result: dict[str, Any] = response.json()
            return result

    def _load_project(self) -> None:
        listed = self.management("GET", "/management/v1/projects")["data"]
        mine = next(
            p for p in listed if (p.get("server_side_key") or {}).get("app_id") == self.app_id
        )
        self.project_id, self.webhook_secret = mine["id"], mine["webhook_token"]

    def stop(self) -> None:
        """Terminate the server and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"openvoucher exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"openvoucher did not start within {timeout:g} s")
