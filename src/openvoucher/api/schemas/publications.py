"""Publication request bodies."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from openvoucher.api.schemas.customers import CustomerCreate
from openvoucher.catalog.model import CampaignPick, Publish

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


def as_command(body: PublicationCreate) -> Publish:
    """The use case's command (customer fields the client did not send are left out; empty
    values count as not given)."""
    campaign = body.campaign
    if isinstance(campaign, CampaignSource):
        named = campaign.name is not None or campaign.count is not None
        pick = CampaignPick(campaign.name, campaign.count) if named else None
    else:
        pick = CampaignPick(campaign) if campaign else None
    customer = msgspec.to_builtins(body.customer) if body.customer is not None else None
    return Publish(
        customer=customer,
        voucher=body.voucher or None,
        campaign=pick,
        source_id=body.source_id or None,
        channel=body.channel or None,
        metadata=body.metadata,
    )
