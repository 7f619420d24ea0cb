"""Voucherify-style error bodies: ``code``, ``key``, ``message``, ``details``, ``request_id``."""

from __future__ import annotations

from random import getrandbits
from typing import Any

import orjson
from starlette.responses import Response

from openvoucher.kernel.errors import VoucherifyError


def new_request_id() -> str:
    """A request id in Voucherify's ``v-…`` form (22 hex digits).

    An identifier, not a secret: 88 random bits from ``random`` (seeded from the system, and
    reseeded in a forked child) need no system call per request, unlike ``secrets``.
    """
    return f"v-{getrandbits(88):022x}"


class JsonBody(Response):
    """An encoded JSON body with its request id: the headers Starlette's ``Response`` would
    set (``x-request-id``, ``content-length``, ``content-type``, in this order), built
    directly (~1 µs less per request)."""

    media_type = "application/json"

    def __init__(self, body: bytes, status: int, request_id: str) -> None:
        self.status_code = status
        self.background = None
        self.body = body
        self.raw_headers = [(b"x-request-id", request_id.encode("latin-1"))]
        if status >= 200 and status not in (204, 304):
            self.raw_headers.append((b"content-length", str(len(body)).encode("latin-1")))
        self.raw_headers.append((b"content-type", b"application/json"))


def error_body(error: VoucherifyError, request_id: str) -> dict[str, Any]:
    """The JSON body for ``error``."""
    body: dict[str, Any] = {
        "code": error.status,
        "key": error.key,
        "message": error.message,
        "details": error.details,
        "request_id": request_id,
    }
    body.update(error.extra)
    return body


def error_response(error: VoucherifyError, request_id: str) -> Response:
    """A JSON response carrying ``error``."""
    return JsonBody(orjson.dumps(error_body(error, request_id)), error.status, request_id)
