"""A real openvoucher server on a loopback port, in a thread of the test process."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn

from openvoucher.adapters.clock import ControllableClock
from openvoucher.api.app import create_app
from openvoucher.bootstrap import Container, build
from openvoucher.config import Settings
from openvoucher.platform import projects
from tests.support.responses import Recorded, Recorder

MANAGEMENT_ID = "test-management-id"
MANAGEMENT_TOKEN = "test-management-token"


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    """A started server and the container behind it."""

    base_url: str
    container: Container
    clock: ControllableClock
    server: uvicorn.Server
    thread: threading.Thread
    backend: str
    recorded: Recorded = field(default_factory=Recorded)
    """The API's 2xx JSON responses (``tests/support/responses.py``)."""

    @property
    def management_headers(self) -> dict[str, str]:
        """Headers for the management API."""
        return {"X-Management-Id": MANAGEMENT_ID, "X-Management-Token": MANAGEMENT_TOKEN}

    def stop(self) -> None:
        """Shut the server down and release the database."""
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.container.engine.dispose()


@dataclass
class Project:
    """A fresh project with its keys, on a running server."""

    id: str
    app_id: str
    app_token: str
    webhook_token: str
    base_url: str
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        """Headers authenticating as this project."""
        return {"X-App-Id": self.app_id, "X-App-Token": self.app_token}

    def client(self) -> httpx.Client:
        """An HTTP client bound to this project."""
        return httpx.Client(base_url=self.base_url, headers=self.headers, timeout=30)


def start_server(database_url: str, backend: str, **overrides: Any) -> RunningServer:
    """Start a server on a free loopback port and wait until it answers."""
    port = free_port()
    settings = Settings(
        database_url=database_url,
        port=port,
        management_id=MANAGEMENT_ID,
        management_token=MANAGEMENT_TOKEN,
        webhook_retry_schedule=(1, 1, 1),
        **overrides,
    )
    clock = ControllableClock()
    container = build(settings, clock=clock)
    recorder = Recorder(create_app(container))
    config = uvicorn.Config(
        recorder,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    _wait_until_up(f"http://127.0.0.1:{port}/health")
    return RunningServer(
        base_url=f"http://127.0.0.1:{port}",
        container=container,
        clock=clock,
        server=server,
        thread=thread,
        backend=backend,
        recorded=recorder.recorded,
    )


def _wait_until_up(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"server at {url} did not start")


def new_project(running: RunningServer, name: str = "test project") -> Project:
    """Create a project through the service layer and return its keys."""
    raw = projects.create_project(running.container.uow, {"name": name})
    key = raw["app_keys"][0]
    return Project(
        id=raw["id"],
        app_id=key["key_id"],
        app_token=key["token"],
        webhook_token=raw["webhook_token"],
        base_url=running.base_url,
        raw=raw,
    )
