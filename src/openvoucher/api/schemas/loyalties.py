"""Loyalty request bodies: programmes, members, balance, transfers, earning rules, tiers,
custom events."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from openvoucher.api.schemas.campaigns import CampaignCreate, VoucherTemplate
from openvoucher.api.schemas.customers import CustomerCreate
from openvoucher.api.schemas.vouchers import (
    ExpirationRules,
    Metadata,
    Short,
    Text,
    Timeframe,
    ValidityHours,
    Weekday,
)

Points = Annotated[int, msgspec.Meta(ge=-1_000_000_000_000, le=1_000_000_000_000)]
Unset = msgspec.UnsetType


class LoyaltyCreate(CampaignCreate, kw_only=True):
    """``POST /v1/loyalties``."""

    campaign_type: Literal["LOYALTY_PROGRAM"] = "LOYALTY_PROGRAM"
    voucher: VoucherTemplate | Unset | None = msgspec.UNSET
    access_settings: dict[str, Any] | Unset | None = msgspec.UNSET


class MemberAdd(msgspec.Struct, omit_defaults=True, kw_only=True):
    """``POST /v1/loyalties/{id}/members``: the customer (object, or id/source_id)."""

    customer: CustomerCreate | Short | None = None
    voucher: Short | None = None
    source_id: Short | None = None
    metadata: Metadata | None = None
    channel: Short | None = None


class BalanceUpdate(msgspec.Struct, omit_defaults=True, kw_only=True):
    """``POST …/members/{id}/balance``."""

    points: Points | None = None
    expiration_type: Literal["PROGRAM_RULES", "CUSTOM_DATE", "NON_EXPIRING"] | None = None
    expiration_date: Short | None = None
    reason: Text | None = None
    source_id: Short | None = None


class PendingPointsAdjust(msgspec.Struct, omit_defaults=True, kw_only=True):
    """``POST …/pending-points/{id}/balance``: points to add (> 0) or subtract (< 0)."""

    points: Points | None = None


class TransferItem(msgspec.Struct, omit_defaults=True, kw_only=True):
    """One card to move points from."""

    code: Short
    points: Points
    reason: Text | None = None
    source_id: Short | None = None


class Banner(msgspec.Struct, omit_defaults=True):
    """An earning rule's ``source``."""

    banner: Short | None = None


class Ref(msgspec.Struct, omit_defaults=True):
    """``{id}`` of a tier, or ``{schema_id}`` of a custom event schema."""

    id: Short | None = None
    schema_id: Short | None = None


class PendingPointsSetting(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """An earning rule's ``pending_points``: how many days its points wait."""

    period_type: Literal["DAY"] | None = None
    period_value: Annotated[int, msgspec.Meta(ge=1, le=90)] | None = None


class EarningRuleBody(msgspec.Struct, omit_defaults=True, kw_only=True):
    """One earning rule of ``POST`` (a list) or ``PUT …/earning-rules/{id}``."""

    event: Short | None = None
    loyalty: dict[str, Any] | None = None
    source: Banner | None = None
    active: bool | None = None
    start_date: Short | None = None
    expiration_date: Short | None = None
    validity_timeframe: Timeframe | None = None
    validity_day_of_week: list[Weekday] | None = None
    validity_hours: ValidityHours | None = None
    metadata: Metadata | None = None
    custom_event: Ref | None = None
    loyalty_tier: Ref | None = None
    segment: Ref | None = None
    expiration_rules: ExpirationRules | None = None
    validation_rule_id: Short | None = None
    # null (on update) removes the setting; absent keeps it.
    pending_points: PendingPointsSetting | Unset | None = msgspec.UNSET


class TierPoints(msgspec.Struct, omit_defaults=True):
    """A tier's points range."""

    to: int | None = None
    from_: int | None = msgspec.field(default=None, name="from")


class TierBody(msgspec.Struct, omit_defaults=True, kw_only=True):
    """One tier of ``POST …/tiers`` (a list) or ``PUT …/tiers/{id}``."""

    name: Short | None = None
    points: TierPoints | None = None
    earning_rules: dict[str, dict[str, Any]] | None = None
    rewards: dict[str, dict[str, Any]] | None = None
    metadata: Metadata | None = None


class EventBody(msgspec.Struct, omit_defaults=True, kw_only=True):
    """``POST /v1/events``: a custom event of a customer."""

    event: Short
    customer: CustomerCreate
    referral: dict[str, Any] | None = None
    loyalty: dict[str, Any] | None = None
    metadata: Metadata | None = None


class ExportBody(msgspec.Struct, omit_defaults=True, kw_only=True):
    """``POST …/transactions/export``."""

    parameters: dict[str, Any] | None = None


def plain(body: msgspec.Struct) -> dict[str, Any]:
    """The body as plain data without absent (None) fields; ``from_`` renamed ``from``."""
    data: dict[str, Any] = msgspec.to_builtins(body)
    return data
