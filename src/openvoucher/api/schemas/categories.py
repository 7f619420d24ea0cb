"""Category request bodies."""

from __future__ import annotations

from typing import Annotated

import msgspec

Name = Annotated[str, msgspec.Meta(max_length=200)]
Hierarchy = Annotated[int, msgspec.Meta(ge=0, le=2_147_483_647)]


class CategoryFields(msgspec.Struct, omit_defaults=True):
    """``POST /v1/categories`` and ``PUT /v1/categories/{id}``."""

    name: Name | msgspec.UnsetType | None = msgspec.UNSET
    hierarchy: Hierarchy | msgspec.UnsetType | None = msgspec.UNSET
