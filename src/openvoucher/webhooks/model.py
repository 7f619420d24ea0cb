"""Typed records and commands of the webhooks context (ADR 0017)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    """A project webhook endpoint: where the project's events are sent, and which ones."""

    id: str
    target_url: str
    events: tuple[str, ...]
    active: bool
    headers: dict[str, str]
    created_at: datetime
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class EndpointFields:
    """The fields an endpoint is created or changed with; ``None``: not given (kept as it is)."""

    target_url: str | None = None
    events: tuple[str, ...] | None = None
    active: bool | None = None
    headers: dict[str, str] | None = None

    def given(self) -> dict[str, Any]:
        """The fields given, by column name."""
        found = ((f.name, getattr(self, f.name)) for f in fields(self))
        return {name: value for name, value in found if value is not None}
