"""Request bodies of promotion tiers and promotion stacks."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from openvoucher.api.schemas.vouchers import (
    Discount,
    Metadata,
    Short,
    Text,
    Timeframe,
    ValidityHours,
    Weekday,
)

TierIds = Annotated[list[Short], msgspec.Meta(min_length=1, max_length=30)]


class TierAction(msgspec.Struct, omit_defaults=True):
    """``action``: the tier's discount."""

    discount: Discount | None = None


class TierUpdate(msgspec.Struct, omit_defaults=True, kw_only=True):
    """``PUT /v1/promotions/tiers/{id}``; absent fields stay as they are."""

    name: Short | msgspec.UnsetType | None = msgspec.UNSET
    banner: Text | msgspec.UnsetType | None = msgspec.UNSET
    action: TierAction | msgspec.UnsetType | None = msgspec.UNSET
    metadata: Metadata | msgspec.UnsetType | None = msgspec.UNSET
    active: bool | msgspec.UnsetType | None = msgspec.UNSET
    hierarchy: Annotated[int, msgspec.Meta(ge=0, le=10**6)] | msgspec.UnsetType | None = (
        msgspec.UNSET
    )
    start_date: Short | msgspec.UnsetType | None = msgspec.UNSET
    expiration_date: Short | msgspec.UnsetType | None = msgspec.UNSET
    validity_timeframe: Timeframe | msgspec.UnsetType | None = msgspec.UNSET
    validity_day_of_week: list[Weekday] | msgspec.UnsetType | None = msgspec.UNSET
    validity_hours: ValidityHours | msgspec.UnsetType | None = msgspec.UNSET
    validation_rules: list[Short] | msgspec.UnsetType | None = msgspec.UNSET
    category: Short | msgspec.UnsetType | None = msgspec.UNSET
    category_id: Short | msgspec.UnsetType | None = msgspec.UNSET


class TierCreate(TierUpdate, kw_only=True):
    """``POST /v1/promotions/{campaignId}/tiers`` and each of a campaign's
    ``promotion.tiers``."""


class CampaignPromotion(msgspec.Struct, omit_defaults=True):
    """``promotion`` of a PROMOTION campaign: its tiers."""

    tiers: Annotated[list[TierCreate], msgspec.Meta(max_length=100)] | None = None


class StackTiers(msgspec.Struct, omit_defaults=True):
    """``tiers`` of a stack: the tiers in the order they apply."""

    ids: TierIds
    hierarchy_mode: Literal["MANUAL"] | None = None


class StackCreate(msgspec.Struct, omit_defaults=True, kw_only=True):
    """``POST /v1/promotions/{campaignId}/stacks``."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    tiers: StackTiers
    category_id: Short | msgspec.UnsetType | None = msgspec.UNSET


class StackUpdate(msgspec.Struct, omit_defaults=True, kw_only=True):
    """``PUT /v1/promotions/{campaignId}/stacks/{stackId}``; absent or null fields stay."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | msgspec.UnsetType | None = (
        msgspec.UNSET
    )
    tiers: StackTiers | msgspec.UnsetType | None = msgspec.UNSET
    category_id: Short | msgspec.UnsetType | None = msgspec.UNSET
