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
    """``value`` encoded as the API encodes response bodies, in a ``bytes`` of its own size.

    orjson returns its output in the buffer it wrote into, which keeps a ~16 KiB allocation
    even for a 1 KiB body; harmless for a response sent and dropped, but an encoded body is
    kept (memoised), so it is copied to an exact-size ``bytes`` (about a microsecond): the
    2 048 memoised voucher renders hold ~2–3 MiB instead of ~32 MiB (docs/adr/0069-soak-memory.md).
    """
    return EncodedJson(bytes(memoryview(dumps(value))))
