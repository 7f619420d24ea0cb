"""The HTTP client webhooks leave through: one pooled ``httpx.AsyncClient``, a hard deadline."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

EXCERPT_CHARS = 1000


@dataclass(frozen=True)
class Answer:
    """What the receiver answered, or why there was no answer."""

    status_code: int | None
    excerpt: str | None
    error: str | None


class Transport:
    """POSTs bodies; the whole exchange must finish within ``timeout`` seconds."""

    def __init__(self, timeout: float, *, client: httpx.AsyncClient | None = None) -> None:
        self.timeout = timeout
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=100),
            follow_redirects=False,
        )

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> Answer:
        """Send one request; network failures and timeouts become an error answer."""
        try:
            async with asyncio.timeout(self.timeout):
                response = await self._client.post(url, content=body, headers=headers)
        except TimeoutError:
            return Answer(None, None, f"no answer within {self.timeout:g} s")
        except httpx.HTTPError as exc:
            return Answer(None, None, f"{type(exc).__name__}: {exc}"[:EXCERPT_CHARS])
        return Answer(response.status_code, response.text[:EXCERPT_CHARS], None)

    async def close(self) -> None:
        """Release pooled connections."""
        await self._client.aclose()
