"""``openvoucher listen``: receive a project's webhooks locally and forward them to your app.

It starts a small HTTP listener on loopback, registers it as a temporary webhook endpoint of
the project (management API), and for every sendout the server delivers, forwards the exact
bytes and headers to ``--forward-to`` and answers the server with your app's status, so a
failing app gets the server's real retries. The endpoint is removed on exit (Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import click
import httpx
import orjson

from openvoucher.cli.remote import Remote, find_project

DROPPED = {"host", "content-length", "connection", "keep-alive", "transfer-encoding"}


@dataclass(frozen=True)
class Options:
    """What ``listen`` was asked to do."""

    forward_to: str | None
    events: list[str]
    project_id: str | None
    bind: str
    port: int
    print_json: bool
    timeout: float = 30.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True


def _forward(options: Options, body: bytes, headers: dict[str, str]) -> str | int:
    """POST to the app; its status code, or an error text."""
    if options.forward_to is None:
        return 200
    kept = {k: v for k, v in headers.items() if k.lower() not in DROPPED}
    try:
        answer = httpx.post(options.forward_to, content=body, headers=kept, timeout=options.timeout)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"
    return answer.status_code


def _line(body: bytes, headers: dict[str, str], result: str | int) -> str:
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        parsed = {}
    kind = parsed.get("type") if isinstance(parsed, dict) else None
    ident = headers.get("webhook-id") or (parsed.get("id") if isinstance(parsed, dict) else None)
    status = f"-> {result}" if isinstance(result, int) else f"-> failed ({result})"
    signature = headers.get("x-voucherify-signature", "-")
    return f"{kind or '-'}  {ident or '-'}  {status}  x-voucherify-signature={signature}"


def _handler(options: Options, lock: threading.Lock) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            result = _forward(options, body, headers)
            with lock:
                click.echo(_line(body, headers, result))
                if options.print_json:
                    click.echo(body.decode(errors="replace"))
                sys.stdout.flush()
            status = result if isinstance(result, int) else 502
            reply = b'{"forwarded":true}' if status < 300 else b'{"forwarded":false}'
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def _listener(options: Options) -> Iterator[str]:
    server = _Server((options.bind, options.port), _handler(options, threading.Lock()))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/webhooks"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def _endpoint(remote: Remote, project_id: str, url: str, events: list[str]) -> Iterator[str]:
    base = f"/management/v1/projects/{project_id}/webhooks"
    body = {"target_url": url, "events": events, "active": True}
    created = remote.call("POST", base, body, management=True)
    try:
        yield str(created["id"])
    finally:
        remote.call("DELETE", f"{base}/{created['id']}", management=True)


def listen(remote: Remote, options: Options) -> None:
    """Run until Ctrl-C or SIGTERM; the temporary endpoint is removed on the way out."""
    project = (
        remote.call("GET", f"/management/v1/projects/{options.project_id}", management=True)
        if options.project_id
        else find_project(remote)
    )
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with (
            _listener(options) as url,
            _endpoint(remote, project["id"], url, options.events) as ident,
        ):
            target = options.forward_to or "(not forwarding; answering 200)"
            click.echo(f"Ready: webhook endpoint {ident} of project {project['id']} -> {url}")
            click.echo(f"Forwarding to {target}; events: {', '.join(options.events) or 'all'}")
            click.echo(f"Webhook secret (x-voucherify-signature key): {project['webhook_token']}")
            sys.stdout.flush()
            while not stop.wait(0.2):
                pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    click.echo("endpoint removed; bye")
