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


Template = dict[str, Any] | list[Any] | str | None
"""A channel's payload template: free-form JSON a client owns (``webhooks.templates``)."""


@dataclass(frozen=True, slots=True)
class Channel:
    """One webhook channel of a distribution: where its sendouts go and how they look."""

    url: str
    event_name: str
    headers: dict[str, str]
    payload: Template = None
    raw_payload: bool = False
    type: str = "webhook"

    def columns(self) -> dict[str, Any]:
        """The channel as stored in the distribution's ``channels`` (and rendered)."""
        return {
            "type": self.type,
            "url": self.url,
            "headers": dict(self.headers),
            "event_name": self.event_name,
            "payload": self.payload,
            "raw_payload": self.raw_payload,
        }


@dataclass(frozen=True, slots=True)
class Distribution:
    """A distribution: a ``customer.*`` trigger sent to its webhook channels."""

    id: str
    name: str | None
    trigger: str
    active: bool
    channels: tuple[Channel, ...]
    created_at: datetime
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class DistributionFields:
    """The fields a distribution is created or changed with; ``None``: not given."""

    name: str | None = None
    trigger: str | None = None
    active: bool | None = None
    channels: tuple[Channel, ...] | None = None


@dataclass(frozen=True, slots=True)
class Attempt:
    """One delivery attempt of a sendout."""

    attempt: int
    started_at: datetime
    duration_ms: int
    status_code: int | None
    response_excerpt: str | None
    error: str | None


@dataclass(frozen=True, slots=True)
class Sendout:
    """One event sent to one channel (an endpoint, or a distribution's channel), as logged;
    ``attempt_log``: its attempts, when read with them."""

    id: str
    project_id: str
    event_id: str
    event_type: str
    source_object: str
    source_id: str
    channel: str
    target_url: str
    headers: dict[str, str]
    body: bytes
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime | None
    delivered_at: datetime | None
    attempt_log: tuple[Attempt, ...] = ()


@dataclass(frozen=True, slots=True)
class FailurePlanFields:
    """The dev extension's request: fail an endpoint's next ``fail_next`` attempts (``mode``)."""

    fail_next: int = 1
    mode: str = "status500"


def given_columns(command: EndpointFields | DistributionFields) -> dict[str, Any]:
    """The fields a command gives (not ``None``), by column name."""
    found = ((f.name, getattr(command, f.name)) for f in fields(command))
    return {name: value for name, value in found if value is not None}
