"""Request bodies of rewards, reward assignments and reward redemptions."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from openvoucher.api.schemas.orders import OrderBody
from openvoucher.api.schemas.vouchers import Metadata, Short

Count = Annotated[int, msgspec.Meta(ge=-(10**15), le=10**15)]
Ratio = Annotated[str, msgspec.Meta(max_length=40)] | float | int


class RewardCampaign(msgspec.Struct, omit_defaults=True):
    """``parameters.campaign``: the campaign a CAMPAIGN reward draws from."""

    id: Short | None = None
    balance: Count | None = None


class Coin(msgspec.Struct, omit_defaults=True):
    """``parameters.coin`` of a pay-with-points reward."""

    exchange_ratio: Ratio | None = None
    points_ratio: Ratio | None = None


class RewardProduct(msgspec.Struct, omit_defaults=True):
    """``parameters.product`` of a material reward."""

    id: Short | None = None
    sku_id: Short | None = None


class RewardParameters(msgspec.Struct, omit_defaults=True):
    """Exactly one of ``campaign``, ``coin`` and ``product``."""

    campaign: RewardCampaign | None = None
    coin: Coin | None = None
    product: RewardProduct | None = None


class Attributes(msgspec.Struct, omit_defaults=True):
    """A material reward's display attributes."""

    image_url: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    description: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class RewardBody(msgspec.Struct, kw_only=True):
    """``POST /v1/rewards`` and ``PUT /v1/rewards/{id}`` (absent fields stay as they are)."""

    name: Short | msgspec.UnsetType | None = msgspec.UNSET
    parameters: RewardParameters | msgspec.UnsetType | None = msgspec.UNSET
    stock: Count | msgspec.UnsetType | None = msgspec.UNSET
    attributes: Attributes | msgspec.UnsetType | None = msgspec.UNSET
    metadata: Metadata | msgspec.UnsetType | None = msgspec.UNSET


class LoyaltyCost(msgspec.Struct, omit_defaults=True):
    """``parameters.loyalty``: the points cost."""

    points: Count | None = None
    auto_redeem: bool | None = None


class AssignmentParameters(msgspec.Struct, omit_defaults=True):
    """``parameters`` of an assignment."""

    loyalty: LoyaltyCost | None = None


class AssignmentBody(msgspec.Struct, omit_defaults=True):
    """``POST /v1/rewards/{id}/assignments``, an item of ``POST /v1/loyalties/{id}/rewards``,
    and the assignment updates."""

    campaign: Short | None = None
    reward: Short | None = None
    parameters: AssignmentParameters | None = None
    validation_rules: list[Short] | None = None


class RewardChoice(msgspec.Struct, omit_defaults=True):
    """``reward`` of a reward redemption."""

    id: Short | None = None
    points: Count | None = None


class RewardRedeem(msgspec.Struct, omit_defaults=True):
    """``POST /v1/loyalties/{id}/members/{memberId}/redemption``."""

    reward: RewardChoice | None = None
    order: OrderBody | None = None
    metadata: Metadata | None = None


def plain(body: msgspec.Struct) -> dict[str, Any]:
    """The body as plain data, absent fields left out."""
    data: dict[str, Any] = msgspec.to_builtins(body)
    return data
