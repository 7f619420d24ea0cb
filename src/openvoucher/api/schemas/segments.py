"""Segment request bodies."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

Short = Annotated[str, msgspec.Meta(max_length=300)]


class SegmentCreate(msgspec.Struct):
    """``POST /v1/segments``: static (``customers``) or auto-update / passive (``filter``)."""

    name: Short | None = None
    type: Short | None = None
    filter: dict[str, Any] | None = None
    customers: list[Short] | None = None
