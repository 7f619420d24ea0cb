"""A real HTTP webhook receiver on loopback that records every request it gets.

It can answer 500 for the next N requests, or stall before answering, to exercise retries
and timeouts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson


@dataclass(frozen=True)
class Received:
    """One request as it arrived."""

    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    status: int

    def json(self) -> Any:
        """The body decoded."""
        return orjson.loads(self.body)


class _Server(ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True


class Receiver:
    """Records requests; answers 200 unless told to fail or stall."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self.requests: list[Received] = []
        self.failures_left = 0
        self.failure_status = 500
        self.stall_seconds = 0.0
        self.on_request: Callable[[Received], None] | None = None
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """Base URL of the receiver."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next(self, count: int, status: int = 500) -> None:
        """Answer ``status`` to the next ``count`` requests."""
        with self._lock:
            self.failures_left, self.failure_status = count, status

    def _answer(self) -> int:
        with self._lock:
            if self.failures_left > 0:
                self.failures_left -= 1
                return self.failure_status
            return 200

    def _record(self, item: Received) -> None:
        with self._lock:
            self.requests.append(item)
            self._lock.notify_all()
        if self.on_request is not None:
            self.on_request(item)

    def wait_for(
        self, predicate: Callable[[list[Received]], bool], timeout: float = 10.0
    ) -> list[Received]:
        """Block until ``predicate(requests)`` holds; fail the test after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate(self.requests):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"receiver timed out with {len(self.requests)} requests")
                self._lock.wait(left)
            return list(self.requests)

    def wait_count(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Block until at least ``count`` requests arrived."""
        return self.wait_for(lambda items: len(items) >= count, timeout)

    def close(self) -> None:
        """Stop listening."""
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                arrived = time.time()
                if receiver.stall_seconds:
                    time.sleep(receiver.stall_seconds)
                status = receiver._answer()
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver._record(Received(self.path, headers, body, arrived, status))
                reply = b'{"ok":true}' if status < 300 else b'{"error":"receiver failure"}'
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    """A receiver for the duration of the block."""
    receiver = Receiver()
    try:
        yield receiver
    finally:
        receiver.close()
