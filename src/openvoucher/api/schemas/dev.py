"""Request bodies of openvoucher's dev extension (``/v1/_test/...``)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType


class ClockMove(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /v1/_test/clock``: any of set, advance, freeze; or reset alone."""

    set: Annotated[str, msgspec.Meta(max_length=64)] | UnsetType = UNSET
    advance: Annotated[str, msgspec.Meta(max_length=64)] | int | float | UnsetType = UNSET
    freeze: bool | UnsetType = UNSET
    reset: bool | UnsetType = UNSET


class FailurePlan(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /v1/_test/webhooks/{webhookId}/failures``."""

    fail_next: int = 1
    mode: Annotated[str, msgspec.Meta(max_length=40)] = "status500"


class Resend(msgspec.Struct, forbid_unknown_fields=True):
    """``POST /v1/webhooks/sendouts/{sendoutId}/resend``: another URL, or the endpoint's."""

    url: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
