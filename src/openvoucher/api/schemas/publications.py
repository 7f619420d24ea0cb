"""Publication request bodies."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from openvoucher.api.schemas.customers import CustomerCreate

Short = Annotated[str, msgspec.Meta(max_length=300)]
PublishCount = Annotated[int, msgspec.Meta(ge=1, le=50)]


class CampaignSource(msgspec.Struct, omit_defaults=True):
    """The campaign to publish from and how many of its vouchers."""

    name: Short | None = None
    count: PublishCount | None = None


class PublicationCreate(msgspec.Struct, omit_defaults=True):
    """``POST /v1/publications``: a ``voucher`` code, or a ``campaign`` (object or name)."""

    customer: CustomerCreate | None = None
    voucher: Short | None = None
    campaign: CampaignSource | Short | None = None
    source_id: Short | None = None
    metadata: dict[str, Any] | None = None
    channel: Short | None = None


def as_spec(body: PublicationCreate) -> dict[str, Any]:
    """The request as plain data (customer fields the client did not send are left out)."""
    spec: dict[str, Any] = msgspec.to_builtins(body)
    return spec
