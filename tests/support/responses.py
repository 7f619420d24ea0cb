"""Every JSON response the suite received, checked against its operation's schema in the spec.

The session server is wrapped in :class:`Recorder` (an ASGI middleware): each 2xx JSON response
to ``/v1`` or ``/client/v1`` is kept. At the end of the session each is validated against the
response schema of its operation (``GET /v1/vouchers/{code}`` → ``200``), taken from
``tests/support/data/api_schemas.json`` (derived from ``OpenAPI.json`` by
``scripts/derive_api_schema.py``), with required keys and nullability as the spec has them:
``null`` only where the spec says ``nullable`` or its own example shows ``null``, exactly as for
events (``tests/support/emitted.py``). Paths the spec does not have are not checked.

A failure not listed in ``tests/support/data/response_schema_debt.json`` fails the session.
That file lists what is known to be short today, as ``"METHOD /path status" → ["path: keyword",
…]``; it may only shrink: fix a presenter, then delete its lines.
``OPENVOUCHER_TEST_RESPONSE_DEBT=write`` rewrites it from a full run (to drop what was fixed;
never to add). ``OPENVOUCHER_TEST_RESPONSE_DUMP=PATH`` appends the kept responses to ``PATH``
(JSON lines), to study them offline.
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.support import spec_readings
from tests.support.webhook_spec import _leaves, _nullable

DATA = Path(__file__).resolve().parent / "data"
SCHEMAS = DATA / "api_schemas.json"
DEBT = DATA / "response_schema_debt.json"
PREFIXES = ("/v1/", "/client/v1/")
SAMPLES = 40
"""Responses checked per operation and status (the first ones received): enough variety,
bounded time."""
MAX_BODY = 1 << 20
_SEEN: dict[str, set[str]] = {}


@dataclass
class Recorded:
    """The 2xx JSON responses of one server, per ``(method, path, status)`` sample."""

    samples: dict[tuple[str, int], list[bytes]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, method: str, path: str, status: int, body: bytes) -> None:
        """Keep one response (at most :data:`SAMPLES` per operation and status)."""
        operation = operation_of(method, path)
        if operation is None:
            return
        with self.lock:
            kept = self.samples.setdefault((operation, status), [])
            if len(kept) < SAMPLES:
                kept.append(body)


class Recorder:
    """ASGI middleware keeping each 2xx JSON response of the API in :attr:`recorded`."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.recorded = Recorded()

    def __getattr__(self, name: str) -> Any:
        """The wrapped app's attributes (tests look at its middleware stack)."""
        return getattr(self.app, name)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Pass the request through; copy the response of an API path."""
        path = scope.get("path", "") if scope.get("type") == "http" else ""
        if not path.startswith(PREFIXES):
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = {"status": 0, "json": False, "body": []}

        async def copying(message: Any) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                headers = dict(message.get("headers") or [])
                state["json"] = headers.get(b"content-type", b"").startswith(b"application/json")
            elif message["type"] == "http.response.body":
                state["body"].append(message.get("body", b""))
                if not message.get("more_body"):
                    self._keep(scope["method"], path, state)
            await send(message)

        await self.app(scope, receive, copying)

    def _keep(self, method: str, path: str, state: dict[str, Any]) -> None:
        body = b"".join(state["body"])
        if 200 <= state["status"] < 300 and state["json"] and len(body) <= MAX_BODY:
            self.recorded.add(method, path, state["status"], body)


@cache
def _derived() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMAS.read_text(encoding="utf-8"))
    return loaded


@cache
def _templates() -> list[tuple[str, re.Pattern[str]]]:
    """Each spec operation with a pattern for its path; literal segments win over ``{…}``."""
    found = []
    for key in _derived()["operations"]:
        method, path = key.split(" ", 1)
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path))
        found.append((key, re.compile(f"{re.escape(method)} {pattern}")))
    return sorted(found, key=lambda item: (item[0].count("{"), item[0]))


def operation_of(method: str, path: str) -> str | None:
    """The spec operation (``GET /v1/vouchers/{code}``) of a request, or None."""
    asked = f"{method} {path.rstrip('/') or '/'}"
    for key, pattern in _templates():
        if pattern.fullmatch(asked):
            return key
    return None


@cache
def _components() -> dict[str, Any]:
    schemas = spec_readings.read(_derived()["schemas"])
    return {"components": {"schemas": _nullable(schemas, null_fields=False)}}


@cache
def _validator(operation: str, status: str) -> Any:
    schema = _derived()["operations"][operation].get(status)
    if schema is None:
        return None
    body = _nullable(schema, null_fields=False)
    return spec_readings.Validator({**_components(), "allOf": [body]})


def strict_response_errors(operation: str, status: int, body: Any) -> list[str]:
    """``path: keyword`` for each way ``body`` misses its operation's response schema."""
    validator = _validator(operation, str(status))
    if validator is None:
        return [f"(root): no {status} JSON response in the spec"]
    return sorted({leaf for e in validator.iter_errors(body) for leaf in _leaves(e)})


def failures(recorded: Recorded) -> dict[str, set[str]]:
    """``"METHOD /path status"`` → the distinct reasons its responses missed the schema."""
    found: dict[str, set[str]] = {}
    for (operation, status), bodies in sorted(recorded.samples.items()):
        for raw in bodies:
            try:
                body = json.loads(raw)
            except ValueError:
                reasons = ["(root): not JSON"]
            else:
                reasons = strict_response_errors(operation, status, body)
            for reason in reasons:
                found.setdefault(f"{operation} {status}", set()).add(reason)
    return found


def known_debt() -> dict[str, set[str]]:
    """The failures known today (``response_schema_debt.json``)."""
    listed: dict[str, list[str]] = json.loads(DEBT.read_text(encoding="utf-8"))
    return {key: set(reasons) for key, reasons in listed.items()}


def _dump(recorded: Recorded, path: str) -> None:
    with Path(path).open("a", encoding="utf-8") as out:
        for (operation, status), bodies in sorted(recorded.samples.items()):
            for raw in bodies:
                line = {"operation": operation, "status": status, "body": raw.decode()}
                out.write(json.dumps(line) + "\n")


def check_responses(recorded: Recorded) -> None:
    """Fail the session's server teardown when a response breaks its schema anew."""
    dump = os.environ.get("OPENVOUCHER_TEST_RESPONSE_DUMP")
    if dump:
        _dump(recorded, dump)
    found = failures(recorded)
    if os.environ.get("OPENVOUCHER_TEST_RESPONSE_DEBT") == "write":
        for key, reasons in found.items():
            _SEEN.setdefault(key, set()).update(reasons)
        text = json.dumps({k: sorted(v) for k, v in sorted(_SEEN.items())}, indent=1)
        DEBT.write_text(text + "\n", encoding="utf-8")
        return
    debt = known_debt()
    fresh = sorted(
        f"{key}: {reason}"
        for key, reasons in found.items()
        for reason in reasons - debt.get(key, set())
    )
    if fresh:
        pytest.fail("API responses off their schema (fix them):\n" + "\n".join(fresh[:200]))
