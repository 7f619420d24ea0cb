"""The HTTP client webhooks leave through, with a hard deadline per exchange.

Plain-http targets go through the lean keep-alive client of :mod:`openvoucher.webhooks.http11`
(several times cheaper per request than ``httpx``); https targets, configured proxies and
whatever that client does not speak go through one pooled ``httpx.AsyncClient``.
"""

from __future__ import annotations

import asyncio
import urllib.request
from dataclasses import dataclass

import httpx

from openvoucher.webhooks import http11

EXCERPT_CHARS = 1000


@dataclass(frozen=True)
class Answer:
    """What the receiver answered, or why there was no answer."""

    status_code: int | None
    excerpt: str | None
    error: str | None


def _proxied() -> bool:
    """Whether the environment configures an HTTP proxy (then ``httpx`` honours it)."""
    proxies = urllib.request.getproxies()
    return "http" in proxies or "all" in proxies


class Transport:
    """POSTs bodies; the whole exchange must finish within ``timeout`` seconds."""

    def __init__(
        self, timeout: float, *, client: httpx.AsyncClient | None = None, lean: bool = True
    ) -> None:
        self.timeout = timeout
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=100),
            follow_redirects=False,
        )
        self._lean = http11.Client() if lean and client is None and not _proxied() else None

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> Answer:
        """Send one request; network failures and timeouts become an error answer."""
        try:
            async with asyncio.timeout(self.timeout):
                if self._lean is not None:
                    try:
                        answer = await self._lean.post(url, body, headers)
                    except http11.Unsupported:
                        pass
                    else:
                        return Answer(answer.status, answer.text(EXCERPT_CHARS), None)
                response = await self._client.post(url, content=body, headers=headers)
        except TimeoutError:
            return Answer(None, None, f"no answer within {self.timeout:g} s")
        except (httpx.HTTPError, OSError, http11.BrokenResponse, ValueError) as exc:
            return Answer(None, None, f"{type(exc).__name__}: {exc}"[:EXCERPT_CHARS])
        return Answer(response.status_code, response.text[:EXCERPT_CHARS], None)

    async def close(self) -> None:
        """Release pooled connections."""
        if self._lean is not None:
            self._lean.close()
        await self._client.aclose()
