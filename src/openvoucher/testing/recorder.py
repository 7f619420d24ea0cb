"""A webhook receiver on loopback, registered as a project endpoint, that records and verifies
every delivery (``x-voucherify-signature`` = hex HMAC-SHA256 of the body with the secret)."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import orjson


@dataclass(frozen=True)
class Delivery:
    """One webhook request as it arrived."""

    body: bytes
    headers: dict[str, str]
    received_at: float
    signature_valid: bool

    @property
    def payload(self) -> Any:
        """The decoded body."""
        return orjson.loads(self.body)

    @property
    def type(self) -> str:
        """The event type (``customer.created`` …)."""
        return str(self.payload.get("type", ""))

    @property
    def id(self) -> str:
        """The sendout id (``whs_…``)."""
        return str(self.headers.get("webhook-id") or self.payload.get("id", ""))

    @property
    def data(self) -> Any:
        """The event's ``data`` object."""
        return self.payload.get("data")


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class WebhookRecorder:
    """Records deliveries; answers 200 (or ``status`` while ``fail_with`` is set)."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.deliveries: list[Delivery] = []
        self.status = 200
        self.endpoint_id: str | None = None
        self._cond = threading.Condition()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        """Where the recorder listens."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/webhooks"

    def verify(self, body: bytes, signature: str | None) -> bool:
        """True when ``signature`` is the body's HMAC with the project's webhook secret."""
        expected = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        return signature is not None and hmac.compare_digest(expected, signature)

    def wait_for(
        self,
        event_type: str,
        timeout: float = 10.0,
        where: Callable[[Delivery], bool] | None = None,
    ) -> Delivery:
        """The first delivery of ``event_type`` (matching ``where``); AssertionError on timeout
        or on a bad signature."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for item in self.deliveries:
                    if item.type == event_type and (where is None or where(item)):
                        assert item.signature_valid, f"bad signature on {item.id}"
                        return item
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = sorted({d.type for d in self.deliveries})
                    raise AssertionError(f"no {event_type} within {timeout:g} s; got {seen}")
                self._cond.wait(left)

    def of_type(self, event_type: str) -> list[Delivery]:
        """Every delivery of ``event_type`` so far."""
        with self._cond:
            return [d for d in self.deliveries if d.type == event_type]

    def clear(self) -> None:
        """Forget what was received."""
        with self._cond:
            self.deliveries.clear()

    def register(self, base_url: str, project_id: str, headers: dict[str, str]) -> str:
        """Register as a webhook endpoint of the project for every event; its id."""
        path = f"{base_url}/management/v1/projects/{project_id}/webhooks"
        body = {"target_url": self.url, "events": [], "active": True}
        response = httpx.post(path, json=body, headers=headers, timeout=30)
        response.raise_for_status()
        self.endpoint_id = str(response.json()["id"])
        return self.endpoint_id

    def unregister(self, base_url: str, project_id: str, headers: dict[str, str]) -> None:
        """Remove the endpoint."""
        if self.endpoint_id is not None:
            path = f"{base_url}/management/v1/projects/{project_id}/webhooks/{self.endpoint_id}"
            httpx.delete(path, headers=headers, timeout=30)
            self.endpoint_id = None

    def close(self) -> None:
        """Stop listening."""
        self._server.shutdown()
        self._server.server_close()

    def _record(self, item: Delivery) -> None:
        with self._cond:
            self.deliveries.append(item)
            self._cond.notify_all()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                valid = recorder.verify(body, headers.get("x-voucherify-signature"))
                recorder._record(Delivery(body, headers, time.time(), valid))
                status = recorder.status
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler
