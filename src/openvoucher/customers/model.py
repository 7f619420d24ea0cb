"""Typed records of the customers context and the commands its use cases take (ADR 0017)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class CustomEventSchema:
    """An event name a project tracks and the definitions of the metadata it carries (JSON
    objects in the metadata-schema format, rendered as stored)."""

    id: str
    name: str
    properties: dict[str, dict[str, Any]]
    created_at: datetime
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CustomEventSchemaFields:
    """Create or change a custom event schema: ``properties`` None when no ``schema`` was
    sent (create requires one)."""

    name: str | None = None
    properties: dict[str, dict[str, Any]] | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A customer segment: ``static`` (its customers are listed) or ``auto-update`` /
    ``passive`` (the customers meeting its ``filter``, as sent)."""

    id: str
    name: str
    type: str
    filter: dict[str, Any] | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SegmentFields:
    """``POST /v1/segments``: ``customers`` (ids or source ids) for a static one."""

    name: str | None = None
    type: str | None = None
    filter: dict[str, Any] | None = None
    customers: tuple[str, ...] = ()
