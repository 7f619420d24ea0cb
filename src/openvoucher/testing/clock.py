"""Time travel from a test: the project's dev clock over ``/v1/_test/clock``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from openvoucher.kernel.clock import iso, parse_datetime


class DevClock:
    """Moves a project's clock on a ``--dev`` server (the project of ``headers``' keys); moving
    forward runs what falls due for that project on the way."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url = url.rstrip("/") + "/v1/_test/clock"
        self.headers = headers
        self.last: dict[str, Any] = {}

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        response = httpx.post(self.url, json=body, headers=self.headers, timeout=300)
        response.raise_for_status()
        self.last = response.json()
        return self.last

    def now(self) -> datetime:
        """The project's current time."""
        response = httpx.get(self.url, headers=self.headers, timeout=30)
        response.raise_for_status()
        return parse_datetime(response.json()["now"])

    def advance(self, duration: str | int | float) -> datetime:
        """Move forward (``"30d"``, ``"12mo"``, ``"PT2H"``, seconds); the new time."""
        return parse_datetime(self._post({"advance": duration})["now"])

    def set(self, instant: datetime | str) -> datetime:
        """Jump to ``instant``; the new time."""
        text = instant if isinstance(instant, str) else iso(instant)
        return parse_datetime(self._post({"set": text})["now"])

    def freeze(self) -> datetime:
        """Stop the clock; the instant it stands at."""
        return parse_datetime(self._post({"freeze": True})["now"])

    def unfreeze(self) -> datetime:
        """Let the clock run again."""
        return parse_datetime(self._post({"freeze": False})["now"])
