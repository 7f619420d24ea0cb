"""The relay's lean HTTP/1.1 client against raw loopback servers that answer canned bytes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from openvoucher.webhooks import http11
from openvoucher.webhooks.transport import Transport

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def read_request(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """One request's head and body (framed by Content-Length)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return head, await reader.readexactly(length)


async def serve(
    answers: list[bytes], close_after: bool = False
) -> tuple[str, list[bytes], asyncio.Server]:
    """A server answering each request on a connection with the next canned answer."""
    seen: list[bytes] = []
    queue = list(answers)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while queue:
                head, body = await read_request(reader)
                seen.append(head + body)
                writer.write(queue.pop(0))
                await writer.drain()
                if close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return f"http://127.0.0.1:{port}/hook?x=1", seen, server


async def shut(client: http11.Client, server: asyncio.Server) -> None:
    """Close the client's connections and the server, letting both ends finish closing."""
    client.close()
    await asyncio.sleep(0.01)
    server.close()
    await server.wait_closed()


def run(coroutine: Awaitable[object]) -> object:
    """Run a coroutine to completion in a fresh loop."""
    return asyncio.run(coroutine)  # type: ignore[arg-type]


def test_content_length_answers_reuse_one_connection() -> None:
    """Two POSTs get both sized answers over one kept-alive connection, sent byte-exact."""

    async def scenario() -> None:
        ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        url, seen, server = await serve(
            [ok, b"HTTP/1.1 201 Created\r\ncontent-length: 3\r\n\r\nyes"]
        )
        client = http11.Client()
        first = await client.post(url, b'{"a":1}', {"x-sig": "abc"})
        second = await client.post(url, b"{}", {})
        await shut(client, server)
        assert (first.status, first.text(100), second.status, second.text(100)) == (
            200,
            "ok",
            201,
            "yes",
        )
        assert seen[0].startswith(b"POST /hook?x=1 HTTP/1.1\r\nHost: 127.0.0.1:")
        assert b"\r\nx-sig: abc\r\n" in seen[0]
        assert seen[0].endswith(b'\r\n\r\n{"a":1}')

    run(scenario())


def test_chunked_answer_with_trailer_and_interim_100() -> None:
    """A 100 Continue is skipped; chunked bodies (with a trailer) are joined."""

    async def scenario() -> None:
        answer = (
            b"HTTP/1.1 100 Continue\r\n\r\n"
            b"HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"4\r\nboom\r\n3;ext=1\r\n!!!\r\n0\r\nX-Trailer: t\r\n\r\n"
        )
        url, _seen, server = await serve([answer, b"HTTP/1.1 204 No Content\r\n\r\n"])
        client = http11.Client()
        first = await client.post(url, b"{}", {})
        second = await client.post(url, b"{}", {})
        await shut(client, server)
        assert (first.status, first.body, second.status, second.body) == (
            500,
            b"boom!!!",
            204,
            b"",
        )

    run(scenario())


def test_close_delimited_answer_and_closed_keepalive_connection() -> None:
    """An HTTP/1.0 answer read to the close; a connection the server closed is replaced."""

    async def scenario() -> None:
        url, seen, server = await serve(
            [b"HTTP/1.0 200 OK\r\n\r\nuntil close", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"]
            * 2,
            close_after=True,
        )
        client = http11.Client()
        first = await client.post(url, b"{}", {})
        second = await client.post(url, b"{}", {})
        third = await client.post(url, b"{}", {})
        await asyncio.sleep(0.05)  # the server has closed the kept-alive connection by now
        fourth = await client.post(url, b"{}", {})
        await shut(client, server)
        assert first.text(100) == "until close"
        assert [r.status for r in (first, second, third, fourth)] == [200, 200, 200, 200]
        assert len(seen) == 4

    run(scenario())


def test_unsupported_requests_are_refused() -> None:
    """https, header injection and non-token header names are left to httpx."""
    client = http11.Client()
    for url, headers in (
        ("https://example.com/", {}),
        ("http://127.0.0.1:1/", {"x-evil": "a\r\nx-injected: b"}),
        ("http://127.0.0.1:1/", {"bad name": "v"}),
    ):
        with pytest.raises(http11.Unsupported):
            run(client.post(url, b"{}", headers))


def test_transport_reports_refused_connection_and_timeout() -> None:
    """A refused connection and a silent server become error answers, not exceptions."""

    async def scenario() -> None:
        writers: list[asyncio.StreamWriter] = []

        async def ignore(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writers.append(writer)

        silent = await asyncio.start_server(ignore, "127.0.0.1", 0)
        port = silent.sockets[0].getsockname()[1]
        transport = Transport(0.2)
        refused = await transport.post("http://127.0.0.1:1/x", b"{}", {})
        stalled = await transport.post(f"http://127.0.0.1:{port}/x", b"{}", {})
        await transport.close()
        for writer in writers:
            writer.close()
        await asyncio.sleep(0.01)
        silent.close()
        await silent.wait_closed()
        assert refused.status_code is None
        assert "Connect" in (refused.error or "")
        assert stalled.status_code is None
        assert stalled.error == "no answer within 0.2 s"

    run(scenario())
