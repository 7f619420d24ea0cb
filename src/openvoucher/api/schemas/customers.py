"""Customer request bodies."""

from __future__ import annotations

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

    name: Short | None | msgspec.UnsetType = msgspec.UNSET
    email: Short | None | msgspec.UnsetType = msgspec.UNSET
    description: Text | None | msgspec.UnsetType = msgspec.UNSET
    phone: Short | None | msgspec.UnsetType = msgspec.UNSET
    birthday: Short | None | msgspec.UnsetType = msgspec.UNSET
    birthdate: Short | None | msgspec.UnsetType = msgspec.UNSET
    address: Address | None | msgspec.UnsetType = msgspec.UNSET
    metadata: dict[str, Any] | None | msgspec.UnsetType = msgspec.UNSET


class CustomerCreate(CustomerUpdate, omit_defaults=True):
    """``POST /v1/customers``."""

    source_id: Short | None | msgspec.UnsetType = msgspec.UNSET
    id: Short | None | msgspec.UnsetType = msgspec.UNSET


def given(body: msgspec.Struct) -> dict[str, Any]:
    """The fields the client actually sent (explicit nulls included), as plain data."""
    return {
        key: msgspec.to_builtins(value)
        for key, value in msgspec.structs.asdict(body).items()
        if value is not msgspec.UNSET
    }
