"""Location request bodies."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

Name = Annotated[str, msgspec.Meta(max_length=300)]


class LocationCreate(msgspec.Struct):
    """``POST /v1/locations`` (extension): ``name`` and ``shape`` as ``GET`` renders them."""

    name: Name | None = None
    shape: dict[str, Any] | None = None
