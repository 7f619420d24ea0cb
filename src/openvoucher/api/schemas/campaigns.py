"""Campaign request bodies."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from openvoucher.api.schemas import refused
from openvoucher.api.schemas.promotions import CampaignPromotion
from openvoucher.api.schemas.vouchers import (
    CodeConfig,
    Count,
    Discount,
    Gift,
    LoyaltyCard,
    Redemption,
    Short,
    Text,
    Validity,
    VoucherType,
)

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
CampaignKind = Literal["AUTO_UPDATE", "STATIC"]


class VoucherTemplate(msgspec.Struct, omit_defaults=True, kw_only=True):
    """The ``voucher`` a campaign issues."""

    type: VoucherType | None = None
    discount: Discount | None = None
    gift: Gift | None = None
    loyalty_card: LoyaltyCard | None = None
    redemption: Redemption | None = None
    code_config: CodeConfig | None = None
    is_referral_code: bool | None = None


class ReferralCustomEvent(msgspec.Struct, omit_defaults=True, kw_only=True):
    """The custom event that converts a referral."""

    id: Short | None = None
    name: Short | None = None


class RewardParent(msgspec.Struct, omit_defaults=True, kw_only=True):
    """The campaign a referee reward adds to."""

    id: Short | None = None
    name: Short | None = None
    object: Literal["CAMPAIGN"] | None = None


class RefereeReward(msgspec.Struct, omit_defaults=True, kw_only=True):
    """What a referee gets on conversion: points or gift credits."""

    related_object_parent: RewardParent | None = None
    type: Literal["LOYALTY_CARD", "GIFT_VOUCHER"] | None = None
    amount: int | None = None


class ReferralProgram(msgspec.Struct, omit_defaults=True, kw_only=True):
    """A REFERRAL_PROGRAM campaign's ``referral_program``."""

    conversion_event_type: Literal["redemption", "custom_event"] | None = None
    custom_event: ReferralCustomEvent | None = None
    referee_reward: RefereeReward | None = None


class CampaignUpdate(Validity, kw_only=True):
    """``PUT /v1/campaigns/{id}``; absent fields stay as they are."""

    description: Text | msgspec.UnsetType | None = msgspec.UNSET
    type: CampaignKind | msgspec.UnsetType | None = msgspec.UNSET
    join_once: bool | msgspec.UnsetType | None = msgspec.UNSET
    auto_join: bool | msgspec.UnsetType | None = msgspec.UNSET
    activity_duration_after_publishing: Short | msgspec.UnsetType | None = msgspec.UNSET
    unset_metadata_fields: list[Short] | msgspec.UnsetType | None = msgspec.UNSET
    discount: Discount | msgspec.UnsetType | None = msgspec.UNSET
    gift: Gift | msgspec.UnsetType | None = msgspec.UNSET
    validation_rules: list[Short] | msgspec.UnsetType | None = msgspec.UNSET
    """Assigned validation rule ids (an openvoucher extension: replaces them)."""
    referral_program: ReferralProgram | msgspec.UnsetType | None = msgspec.UNSET
    loyalty_tiers_expiration: dict[str, Any] | msgspec.UnsetType | None = msgspec.UNSET


class CampaignCreate(Validity, kw_only=True):
    """``POST /v1/campaigns``."""

    name: Name
    campaign_type: (
        Literal[
            "DISCOUNT_COUPONS", "GIFT_VOUCHERS", "LOYALTY_PROGRAM", "PROMOTION", "REFERRAL_PROGRAM"
        ]
        | msgspec.UnsetType
        | None
    ) = msgspec.UNSET
    """Optional: inferred from the voucher template (``inferred_campaign_type``)."""
    type: CampaignKind | msgspec.UnsetType | None = msgspec.UNSET
    description: Text | msgspec.UnsetType | None = msgspec.UNSET
    join_once: bool | msgspec.UnsetType | None = msgspec.UNSET
    auto_join: bool | msgspec.UnsetType | None = msgspec.UNSET
    use_voucher_metadata_schema: bool | msgspec.UnsetType | None = msgspec.UNSET
    vouchers_count: Count | msgspec.UnsetType | None = msgspec.UNSET
    activity_duration_after_publishing: Short | msgspec.UnsetType | None = msgspec.UNSET
    validation_rules: list[Short] | msgspec.UnsetType | None = msgspec.UNSET
    voucher: VoucherTemplate | msgspec.UnsetType | None = msgspec.UNSET
    promotion: CampaignPromotion | msgspec.UnsetType | None = msgspec.UNSET
    referral_program: ReferralProgram | msgspec.UnsetType | None = msgspec.UNSET
    loyalty_tiers_expiration: dict[str, Any] | msgspec.UnsetType | None = msgspec.UNSET

    def __post_init__(self) -> None:
        refused.check(self)
