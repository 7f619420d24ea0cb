"""JSON bodies encoded ahead of the response (a memoised rendering, see catalog.vouchers)."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.bounded import dumps


class EncodedJson:
    """A response body already encoded as JSON, exactly as the API would encode the object."""

    __slots__ = ("body",)

    def __init__(self, body: bytes) -> None:
        self.body = body


def encoded(value: Any) -> EncodedJson:
    """``value`` encoded as the API encodes response bodies."""
    return EncodedJson(dumps(value))
