"""Validation rule request bodies (the rules themselves are checked by the domain)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

Short = Annotated[str, msgspec.Meta(max_length=300)]
Unset = msgspec.UnsetType


class ValidationRuleFields(msgspec.Struct, omit_defaults=True):
    """``POST /v1/validation-rules`` and ``PUT /v1/validation-rules/{id}``."""

    name: Short | Unset | None = msgspec.UNSET
    rules: dict[str, Any] | Unset | None = msgspec.UNSET
    bundle_rules: dict[str, Any] | Unset | None = msgspec.UNSET
    error: dict[str, Any] | Unset | None = msgspec.UNSET
    applicable_to: dict[str, Any] | Unset | None = msgspec.UNSET
    type: Short | Unset | None = msgspec.UNSET
    context_type: Short | Unset | None = msgspec.UNSET


class AssignmentFields(msgspec.Struct, omit_defaults=True):
    """``POST /v1/validation-rules/{id}/assignments``."""

    related_object_type: Short | None = None
    related_object_id: Short | None = None
