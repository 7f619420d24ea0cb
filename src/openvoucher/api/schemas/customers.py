"""Customer request bodies."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec

Short = Annotated[str, msgspec.Meta(max_length=300)]
Text = Annotated[str, msgspec.Meta(max_length=2000)]


class Address(msgspec.Struct):
    """A postal address."""

    city: Short | None = None
    state: Short | None = None
    line_1: Short | None = None
    line_2: Short | None = None
    country: Short | None = None
    postal_code: Short | None = None


class CustomerUpdate(msgspec.Struct, omit_defaults=True):
    """``PUT /v1/customers/{id}``; absent fields stay as they are."""

    name: Short | msgspec.UnsetType | None = msgspec.UNSET
    email: Short | msgspec.UnsetType | None = msgspec.UNSET
    description: Text | msgspec.UnsetType | None = msgspec.UNSET
    phone: Short | msgspec.UnsetType | None = msgspec.UNSET
    birthday: date | msgspec.UnsetType | None = msgspec.UNSET
    """``YYYY-MM-DD`` (what the SDKs parse), checked as a date."""
    birthdate: date | msgspec.UnsetType | None = msgspec.UNSET
    address: Address | msgspec.UnsetType | None = msgspec.UNSET
    metadata: dict[str, Any] | msgspec.UnsetType | None = msgspec.UNSET


class CustomerCreate(CustomerUpdate, omit_defaults=True):
    """``POST /v1/customers``."""

    source_id: Short | msgspec.UnsetType | None = msgspec.UNSET
    id: Short | msgspec.UnsetType | None = msgspec.UNSET


def given(body: msgspec.Struct) -> dict[str, Any]:
    """The fields the client actually sent (explicit nulls included), as plain data."""
    return {
        key: msgspec.to_builtins(value)
        for key, value in msgspec.structs.asdict(body).items()
        if value is not msgspec.UNSET
    }
