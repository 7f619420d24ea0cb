"""A lean keep-alive HTTP/1.1 POST client on asyncio protocols: the relay's hot path.

Per request it costs a fraction of ``httpx`` (no request/response models, no anyio, no pool
bookkeeping); it speaks only what a webhook needs: one ``POST`` with a body, a status code
and the first bytes of the answer. Responses are framed by ``Content-Length``, chunked
encoding or connection close. Anything else (https, proxies, unusual headers) goes through
``httpx`` in :mod:`openvoucher.webhooks.transport`; this module raises :class:`Unsupported`
for what it will not send.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from typing import cast
from urllib.parse import urlsplit

MAX_HEAD = 64 * 1024
MAX_BODY = 64 * 1024  # beyond this, keep the start and close the connection
IDLE_PER_HOST = 32
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


class Unsupported(Exception):
    """The request is outside this client's subset; send it another way."""


class BrokenResponse(Exception):
    """The server answered something that is not HTTP/1.x."""


class Response:
    """Status, headers (lower-case names) and the (possibly truncated) body."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes, reusable: bool) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.reusable = reusable

    def text(self, limit: int) -> str:
        """The body decoded with the declared charset (UTF-8 by default), cut to ``limit``."""
        charset = "utf-8"
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip('"')
        try:
            return self.body.decode(charset, errors="replace")[:limit]
        except LookupError:
            return self.body.decode("utf-8", errors="replace")[:limit]


class _Connection(asyncio.Protocol):
    """One TCP connection carrying one exchange at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[None] | None = None
        self.closed = False
        self.received_any = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # Not an isinstance check: uvloop's transports are not asyncio.Transport subclasses.
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self.received_any = True
        self._notify()

    def eof_received(self) -> bool:
        self.closed = True
        self._notify()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._notify()

    def _notify(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def more(self) -> None:
        """Wait for more bytes (or the end of the connection)."""
        if self.closed:
            raise ConnectionResetError("connection closed before a complete answer")
        self.waiter = asyncio.get_running_loop().create_future()
        await self.waiter
        self.waiter = None

    def close(self) -> None:
        """Drop the connection."""
        self.closed = True
        if self.transport is not None:
            self.transport.close()


def _request_head(url: str, body: bytes, headers: dict[str, str]) -> tuple[str, int, bytes]:
    """(host, port, request head bytes) of a plain-http POST; Unsupported otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname or parts.username or parts.password:
        raise Unsupported(url)
    host, port = parts.hostname, parts.port or 80
    netloc = parts.netloc
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"POST {path} HTTP/1.1", f"Host: {netloc}", f"Content-Length: {len(body)}"]
    for name, value in headers.items():
        if name.lower() in ("host", "content-length", "transfer-encoding", "connection"):
            continue
        if not TOKEN.fullmatch(name) or any(c in value for c in "\r\n\0"):
            raise Unsupported(f"header {name!r}")
        lines.append(f"{name}: {value}")
    if any(c in lines[0] + lines[1] for c in "\r\n\0") or " " in path:
        raise Unsupported("URL characters outside plain HTTP/1.1")
    text = "\r\n".join(lines) + "\r\n\r\n"
    if not text.isascii():
        raise Unsupported("non-ASCII header or URL")
    return host, port, text.encode("ascii")


def _parse_head(head: bytes) -> tuple[int, dict[str, str], bool]:
    """(status, headers, HTTP/1.1?) of a response head (without the blank line)."""
    lines = head.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    if not version.startswith("HTTP/1.") or not rest[:3].isdigit():
        raise BrokenResponse(lines[0][:100])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return int(rest[:3]), headers, version == "HTTP/1.1"


async def _read_head(conn: _Connection) -> tuple[int, dict[str, str], bool]:
    while True:
        end = conn.buffer.find(b"\r\n\r\n")
        if end >= 0:
            head = bytes(conn.buffer[:end])
            del conn.buffer[: end + 4]
            status, headers, keep = _parse_head(head)
            if 100 <= status < 200:
                continue  # an interim answer (100 Continue): the real one follows
            return status, headers, keep
        if len(conn.buffer) > MAX_HEAD:
            raise BrokenResponse("response head too large")
        await conn.more()


async def _read_sized(conn: _Connection, size: int) -> tuple[bytes, bool]:
    while len(conn.buffer) < min(size, MAX_BODY):
        await conn.more()
    if size > MAX_BODY:
        return bytes(conn.buffer[:MAX_BODY]), False
    body = bytes(conn.buffer[:size])
    del conn.buffer[:size]
    return body, True


async def _read_chunked(conn: _Connection) -> tuple[bytes, bool]:
    body = bytearray()
    while True:
        while (end := conn.buffer.find(b"\r\n")) < 0:
            await conn.more()
        size = int(bytes(conn.buffer[:end]).split(b";")[0].strip() or b"0", 16)
        if size == 0:  # the last chunk; then optional trailers and a blank line
            while (stop := conn.buffer.find(b"\r\n\r\n", end)) < 0:
                await conn.more()
            del conn.buffer[: stop + 4]
            return bytes(body), True
        while len(conn.buffer) < end + 2 + size + 2:
            if len(body) + len(conn.buffer) > MAX_BODY:
                return bytes(body + conn.buffer[end + 2 :])[:MAX_BODY], False
            await conn.more()
        body += conn.buffer[end + 2 : end + 2 + size]
        del conn.buffer[: end + 2 + size + 2]


async def _read_to_close(conn: _Connection) -> tuple[bytes, bool]:
    while not conn.closed and len(conn.buffer) < MAX_BODY:
        await conn.more()
    return bytes(conn.buffer[:MAX_BODY]), False


async def _read_response(conn: _Connection) -> Response:
    status, headers, keep = await _read_head(conn)
    if status in (204, 304):
        body, whole = b"", True
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        body, whole = await _read_chunked(conn)
    elif "content-length" in headers:
        body, whole = await _read_sized(conn, int(headers["content-length"]))
    else:
        body, whole = await _read_to_close(conn)
    reusable = whole and keep and "close" not in headers.get("connection", "").lower()
    return Response(status, headers, body, reusable and not conn.buffer)


class Client:
    """Keep-alive connections per (host, port); one exchange per connection at a time."""

    def __init__(self) -> None:
        self._idle: defaultdict[tuple[str, int], list[_Connection]] = defaultdict(list)

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> Response:
        """POST ``body``; a reused connection the server had closed is retried once, fresh."""
        host, port, head = _request_head(url, body, headers)
        key = (host, port)
        conn = self._take(key)
        if conn is not None:
            try:
                return await self._exchange(key, conn, head, body)
            except (ConnectionError, BrokenResponse):
                if conn.received_any:
                    raise
        loop = asyncio.get_running_loop()
        _transport, conn = await loop.create_connection(_Connection, host, port)
        return await self._exchange(key, conn, head, body)

    def _take(self, key: tuple[str, int]) -> _Connection | None:
        idle = self._idle.get(key)
        while idle:
            conn = idle.pop()
            if not conn.closed:
                return conn
        return None

    async def _exchange(
        self, key: tuple[str, int], conn: _Connection, head: bytes, body: bytes
    ) -> Response:
        done = False
        try:
            assert conn.transport is not None
            conn.received_any = False
            conn.transport.write(head + body)
            response = await _read_response(conn)
            done = True
        finally:
            if not done:
                conn.close()
        if response.reusable and not conn.closed and len(self._idle[key]) < IDLE_PER_HOST:
            self._idle[key].append(conn)
        else:
            conn.close()
        return response

    def close(self) -> None:
        """Close every idle connection."""
        for idle in self._idle.values():
            for conn in idle:
                conn.close()
        self._idle.clear()
