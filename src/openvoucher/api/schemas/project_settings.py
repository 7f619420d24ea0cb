"""Request bodies of metadata schemas and stacking rules."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Ids = Annotated[list[Annotated[str, msgspec.Meta(max_length=100)]], msgspec.Meta(max_length=100)]
Limit30 = Annotated[int, msgspec.Meta(ge=1, le=30)]
Limit5 = Annotated[int, msgspec.Meta(ge=1, le=5)]
Limit10 = Annotated[int, msgspec.Meta(ge=1, le=10)]
Length = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
Unset = msgspec.UnsetType
MetadataType = Literal[
    "string", "number", "object", "date", "datetime", "geopoint", "boolean", "image_url"
]


class Definition(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """One metadata definition."""

    type: MetadataType | None = None
    optional: bool | Unset = msgspec.UNSET
    array: bool | Unset = msgspec.UNSET
    deleted: bool | Unset = msgspec.UNSET
    object_type: Name | Unset | None = msgspec.UNSET
    min_length: Length | Unset = msgspec.UNSET
    max_length: Length | Unset = msgspec.UNSET
    exact_length: Length | Unset = msgspec.UNSET
    eq: list[float | str] | Unset = msgspec.UNSET
    ne: list[float] | Unset = msgspec.UNSET
    lt: float | Unset = msgspec.UNSET
    lte: float | Unset = msgspec.UNSET
    gt: float | Unset = msgspec.UNSET
    gte: float | Unset = msgspec.UNSET


Properties = Annotated[dict[Name, Definition], msgspec.Meta(max_length=500)]


class MetadataSchemaUpdate(msgspec.Struct, omit_defaults=True):
    """``PUT …/metadata-schemas/{id}``."""

    allow_defined_only: bool | Unset | None = msgspec.UNSET
    properties: Properties | Unset | None = msgspec.UNSET


class MetadataSchemaCreate(MetadataSchemaUpdate, omit_defaults=True):
    """``POST …/metadata-schemas``."""

    related_object: Name | Unset | None = msgspec.UNSET


class StackingRules(msgspec.Struct, omit_defaults=True):
    """``POST``/``PUT …/stacking-rules``; absent fields keep their value."""

    exclusive_categories: Ids | Unset = msgspec.UNSET
    joint_categories: Ids | Unset = msgspec.UNSET
    redeemables_limit: Limit30 | Unset = msgspec.UNSET
    applicable_redeemables_limit: Limit30 | Unset = msgspec.UNSET
    applicable_redeemables_per_category_limit: Limit30 | Unset = msgspec.UNSET
    applicable_redeemables_category_limits: dict[str, Limit10] | Unset = msgspec.UNSET
    applicable_exclusive_redeemables_limit: Limit5 | Unset = msgspec.UNSET
    applicable_exclusive_redeemables_per_category_limit: Limit5 | Unset = msgspec.UNSET
    discount_calculation_mode: Literal["INITIAL_AMOUNT", "DISCOUNTED_AMOUNT"] | Unset = (
        msgspec.UNSET
    )
    initial_amount_mode_categories: Ids | Unset = msgspec.UNSET
    discounted_amount_mode_categories: Ids | Unset = msgspec.UNSET
    redeemables_application_mode: Literal["ALL", "PARTIAL"] | Unset = msgspec.UNSET
    redeemables_sorting_rule: Literal["CATEGORY_HIERARCHY", "REQUESTED_ORDER"] | Unset = (
        msgspec.UNSET
    )
    redeemables_products_application_mode: Literal["STACK", "ONCE"] | Unset = msgspec.UNSET
    redeemables_no_effect_rule: Literal["REDEEM_ANYWAY", "SKIP"] | Unset = msgspec.UNSET
    no_effect_skip_categories: Ids | Unset = msgspec.UNSET
    no_effect_redeem_anyway_categories: Ids | Unset = msgspec.UNSET
    redeemables_rollback_order_mode: Literal["WITH_ORDER", "WITHOUT_ORDER"] | Unset = msgspec.UNSET
