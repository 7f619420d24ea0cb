"""Voucher request bodies, and the value objects campaigns share with them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from openvoucher.api.schemas import refused

Short = Annotated[str, msgspec.Meta(max_length=300)]
Text = Annotated[str, msgspec.Meta(max_length=2000)]
Count = Annotated[int, msgspec.Meta(ge=0, le=1_000_000_000_000)]
Number = Annotated[int, msgspec.Meta(ge=0, le=100)] | Annotated[float, msgspec.Meta(ge=0, le=100)]
Weekday = Literal[0, 1, 2, 3, 4, 5, 6]
Metadata = dict[str, Any]

Effect = Literal[
    "APPLY_TO_ORDER",
    "APPLY_TO_ITEMS",
    "APPLY_TO_ITEMS_PROPORTIONALLY",
    "APPLY_TO_ITEMS_PROPORTIONALLY_BY_QUANTITY",
    "APPLY_TO_ITEMS_BY_QUANTITY",
    "ADD_MISSING_ITEMS",
    "ADD_NEW_ITEMS",
    "ADD_MANY_ITEMS",
]


class Ref(msgspec.Struct, omit_defaults=True):
    """A product or SKU reference of a UNIT discount."""

    id: Short | None = None
    source_id: Short | None = None
    name: Short | None = None


class Unit(msgspec.Struct, omit_defaults=True):
    """One unit of an ``ADD_MANY_ITEMS`` discount."""

    unit_type: Short
    effect: Literal["ADD_NEW_ITEMS", "ADD_MISSING_ITEMS"] | None = None
    """Optional in the spec; ``ADD_MISSING_ITEMS`` when absent (``check_discount``)."""
    unit_off: Count | None = None
    unit_off_formula: Text | None = None
    product: Ref | None = None
    sku: Ref | None = None


class Discount(msgspec.Struct, omit_defaults=True):
    """A discount: AMOUNT, PERCENT (with ``amount_limit``), UNIT or FIXED. Amounts in cents."""

    type: Literal["AMOUNT", "PERCENT", "UNIT", "FIXED"]
    effect: Effect | None = None
    amount_off: Count | None = None
    amount_off_formula: Text | None = None
    percent_off: Number | None = None  # 0–100
    percent_off_formula: Text | None = None
    amount_limit: Count | None = None
    aggregated_amount_limit: Count | None = None
    unit_off: Count | None = None
    unit_off_formula: Text | None = None
    unit_type: Short | None = None
    product: Ref | None = None
    sku: Ref | None = None
    units: list[Unit] | None = None
    fixed_amount: Count | None = None
    fixed_amount_formula: Text | None = None
    is_dynamic: bool | None = None


class Gift(msgspec.Struct, omit_defaults=True):
    """Gift card credits, in cents."""

    amount: Count | None = None
    effect: Literal["APPLY_TO_ORDER", "APPLY_TO_ITEMS"] | None = None


class ExpirationRules(msgspec.Struct, omit_defaults=True):
    """When a loyalty program's points expire."""

    period_type: Literal["FIXED_DAY_OF_YEAR", "MONTH"]
    period_value: Count | None = None
    rounding_type: (
        Literal[
            "END_OF_MONTH", "END_OF_QUARTER", "END_OF_HALF_YEAR", "END_OF_YEAR", "PARTICULAR_MONTH"
        ]
        | None
    ) = None
    rounding_value: Count | None = None
    fixed_month: Annotated[int, msgspec.Meta(ge=1, le=12)] | None = None
    fixed_day: Annotated[int, msgspec.Meta(ge=1, le=31)] | None = None


class LoyaltyCard(msgspec.Struct, omit_defaults=True):
    """Loyalty points."""

    points: Count | None = None
    expiration_rules: ExpirationRules | None = None


class Redemption(msgspec.Struct, omit_defaults=True):
    """How often a voucher may be redeemed (null: unlimited)."""

    quantity: Annotated[int, msgspec.Meta(ge=1, le=1_000_000_000)] | None = None


class CodeConfig(msgspec.Struct, omit_defaults=True):
    """How codes are generated."""

    length: Annotated[int, msgspec.Meta(ge=1, le=100)] | None = None
    charset: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | None = None
    prefix: Short | None = None
    postfix: Short | None = None
    pattern: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | None = None
    initial_count: Count | None = None

    def __post_init__(self) -> None:
        refused.check(self)


class Timeframe(msgspec.Struct, omit_defaults=True):
    """A recurring validity window (ISO-8601 durations)."""

    interval: Annotated[str, msgspec.Meta(max_length=50)] | None = None
    duration: Annotated[str, msgspec.Meta(max_length=50)] | None = None


class Daily(msgspec.Struct, omit_defaults=True):
    """One daily validity window."""

    start_time: Annotated[str, msgspec.Meta(pattern=r"^\d{2}:\d{2}$")]
    expiration_time: Annotated[str, msgspec.Meta(pattern=r"^\d{2}:\d{2}$")]
    days_of_week: list[Weekday]


class ValidityHours(msgspec.Struct, omit_defaults=True):
    """Validity hours."""

    daily: list[Daily] | None = None


TargetEffect = Literal[
    "APPLY_TO_EVERY",
    "APPLY_TO_CHEAPEST",
    "APPLY_FROM_CHEAPEST",
    "APPLY_TO_MOST_EXPENSIVE",
    "APPLY_FROM_MOST_EXPENSIVE",
]


class Target(msgspec.Struct, omit_defaults=True, kw_only=True):
    """An ``applicable_to`` / ``inapplicable_to`` entry (openvoucher extension on vouchers and
    campaigns): a product or SKU by ``id`` or ``source_id``, or a product collection by ``id``,
    and how items get the discount."""

    object: Literal["product", "sku", "products_collection"]
    id: Short | None = None
    source_id: Short | None = None
    product_id: Short | None = None
    effect: TargetEffect | None = None
    quantity_limit: Count | None = None
    aggregated_quantity_limit: Count | None = None
    amount_limit: Count | None = None
    aggregated_amount_limit: Count | None = None
    price: Count | None = None


Targets = Annotated[list[Target], msgspec.Meta(max_length=100)]


class Validity(msgspec.Struct, omit_defaults=True, kw_only=True):
    """Fields every voucher (and campaign) body shares."""

    start_date: Short | msgspec.UnsetType | None = msgspec.UNSET
    expiration_date: Short | msgspec.UnsetType | None = msgspec.UNSET
    validity_timeframe: Timeframe | msgspec.UnsetType | None = msgspec.UNSET
    validity_day_of_week: list[Weekday] | msgspec.UnsetType | None = msgspec.UNSET
    validity_hours: ValidityHours | msgspec.UnsetType | None = msgspec.UNSET
    category: Short | msgspec.UnsetType | None = msgspec.UNSET
    category_id: Short | msgspec.UnsetType | None = msgspec.UNSET
    metadata: Metadata | msgspec.UnsetType | None = msgspec.UNSET
    applicable_to: Targets | msgspec.UnsetType | None = msgspec.UNSET
    inapplicable_to: Targets | msgspec.UnsetType | None = msgspec.UNSET


VoucherType = Literal["DISCOUNT_VOUCHER", "GIFT_VOUCHER", "LOYALTY_CARD"]


class VoucherUpdate(Validity, kw_only=True):
    """``PUT /v1/vouchers/{code}``."""

    active: bool | msgspec.UnsetType | None = msgspec.UNSET
    additional_info: Text | msgspec.UnsetType | None = msgspec.UNSET
    type: VoucherType | msgspec.UnsetType | None = msgspec.UNSET
    discount: Discount | msgspec.UnsetType | None = msgspec.UNSET
    redemption: Redemption | msgspec.UnsetType | None = msgspec.UNSET
    validation_rules: list[Short] | msgspec.UnsetType | None = msgspec.UNSET
    """Assigned validation rule ids (on update an openvoucher extension: replaces them)."""


class VoucherCreate(VoucherUpdate, kw_only=True):
    """``POST /v1/vouchers`` and ``POST /v1/vouchers/{code}``."""

    code: Short | msgspec.UnsetType | None = msgspec.UNSET
    code_config: CodeConfig | msgspec.UnsetType | None = msgspec.UNSET
    campaign: Short | msgspec.UnsetType | None = msgspec.UNSET
    campaign_id: Short | msgspec.UnsetType | None = msgspec.UNSET
    gift: Gift | msgspec.UnsetType | None = msgspec.UNSET
    loyalty_card: LoyaltyCard | msgspec.UnsetType | None = msgspec.UNSET


class CampaignVoucherAdd(msgspec.Struct, omit_defaults=True, kw_only=True):
    """``POST /v1/campaigns/{id}/vouchers[/{code}]``."""

    code: Short | msgspec.UnsetType | None = msgspec.UNSET
    code_config: CodeConfig | msgspec.UnsetType | None = msgspec.UNSET
    category: Short | msgspec.UnsetType | None = msgspec.UNSET
    metadata: Metadata | msgspec.UnsetType | None = msgspec.UNSET
    redemption: Redemption | msgspec.UnsetType | None = msgspec.UNSET
    additional_info: Text | msgspec.UnsetType | None = msgspec.UNSET
    start_date: Short | msgspec.UnsetType | None = msgspec.UNSET
    expiration_date: Short | msgspec.UnsetType | None = msgspec.UNSET


def given(body: msgspec.Struct) -> dict[str, Any]:
    """The fields the client actually sent (explicit nulls included), as plain data."""
    return {
        key: msgspec.to_builtins(value)
        for key, value in msgspec.structs.asdict(body).items()
        if value is not msgspec.UNSET
    }
