"""Request bodies of validations, redemptions, rollbacks and qualifications."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from openvoucher.api.schemas.customers import CustomerCreate, Short
from openvoucher.api.schemas.orders import OrderBody

Credits = Annotated[int, msgspec.Meta(gt=0, le=10**15)]
MAX_REDEEMABLES = 30


class GiftCredits(msgspec.Struct, omit_defaults=True):
    """``gift`` of a gift-card redeemable: how many credits to use (default: what it can)."""

    credits: Credits | None = None


class Reward(msgspec.Struct, omit_defaults=True):
    """``reward`` of a loyalty-card redeemable (pay with points)."""

    id: Short | None = None
    points: Credits | None = None


class Redeemable(msgspec.Struct, omit_defaults=True):
    """One entry of ``redeemables``."""

    id: Short
    object: Literal["voucher", "promotion_tier", "promotion_stack"] = "voucher"
    gift: GiftCredits | None = None
    reward: Reward | None = None


class Session(msgspec.Struct, omit_defaults=True):
    """A LOCK session: hold what a valid validation uses until released or expired."""

    type: Literal["LOCK"] = "LOCK"
    key: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    ttl: Annotated[int, msgspec.Meta(gt=0, le=10**12)] | None = None
    ttl_unit: (
        Literal[
            "DAYS", "HOURS", "MINUTES", "SECONDS", "MILLISECONDS", "MICROSECONDS", "NANOSECONDS"
        ]
        | None
    ) = None


class Options(msgspec.Struct, omit_defaults=True):
    """``options`` (``expand`` is accepted; responses are always fully expanded)."""

    expand: list[Short] | None = None


Redeemables = Annotated[list[Redeemable], msgspec.Meta(min_length=1, max_length=MAX_REDEEMABLES)]


class StackBody(msgspec.Struct, omit_defaults=True):
    """``POST /v1/validations`` and ``POST /v1/redemptions``."""

    redeemables: Redeemables
    order: OrderBody | None = None
    customer: CustomerCreate | None = None
    session: Session | None = None
    tracking_id: Short | None = None
    metadata: dict[str, Any] | None = None
    options: Options | None = None


class RollbackBody(msgspec.Struct, omit_defaults=True):
    """Both rollback endpoints."""

    reason: Annotated[str, msgspec.Meta(max_length=1000)] | None = None
    tracking_id: Short | None = None
    customer: CustomerCreate | None = None
    order: OrderBody | None = None
    metadata: dict[str, Any] | None = None


class QualificationOptions(msgspec.Struct, omit_defaults=True):
    """``options`` of a qualification: paging, filters and sorting."""

    limit: Annotated[int, msgspec.Meta(ge=1, le=50)] | None = None
    starting_after: Short | None = None
    filters: dict[str, Any] | None = None
    expand: list[Short] | None = None
    sorting_rule: Literal["BEST_DEAL", "LEAST_DEAL", "DEFAULT"] | None = None


Scenario = Literal[
    "ALL",
    "CUSTOMER_WALLET",
    "AUDIENCE_ONLY",
    "PRODUCTS",
    "PRODUCTS_DISCOUNT",
    "PROMOTION_STACKS",
    "PRODUCTS_BY_CUSTOMER",
    "PRODUCTS_DISCOUNT_BY_CUSTOMER",
]


class QualificationBody(msgspec.Struct, omit_defaults=True):
    """``POST /v1/qualifications``."""

    customer: CustomerCreate | None = None
    order: OrderBody | None = None
    tracking_id: Short | None = None
    scenario: Scenario | None = None
    options: QualificationOptions | None = None
    session: Session | None = None
    metadata: dict[str, Any] | None = None
