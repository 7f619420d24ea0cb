"""Order request bodies (also embedded in validations and redemptions)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from openvoucher.api.schemas import refused
from openvoucher.api.schemas.customers import CustomerCreate, Short

NonNegative = Annotated[int, msgspec.Meta(ge=0)]
Money = Annotated[int, msgspec.Meta(ge=0, le=10**15)]


class ItemProduct(msgspec.Struct, omit_defaults=True):
    """Product data inlined in an order item."""

    id: Short | None = None
    source_id: Short | None = None
    override: bool | None = None
    name: Short | None = None
    metadata: dict[str, Any] | None = None
    price: float | None = None

    def __post_init__(self) -> None:
        refused.check(self)


class ItemSku(msgspec.Struct, omit_defaults=True):
    """SKU data inlined in an order item."""

    id: Short | None = None
    source_id: Short | None = None
    override: bool | None = None
    sku: Short | None = None
    price: float | None = None
    metadata: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        refused.check(self)


class OrderItem(msgspec.Struct, omit_defaults=True):
    """One line of an order."""

    sku_id: Short | None = None
    product_id: Short | None = None
    related_object: Literal["product", "sku"] | None = None
    source_id: Short | None = None
    quantity: NonNegative | None = None
    discount_quantity: NonNegative | None = None
    initial_quantity: NonNegative | None = None
    amount: Money | None = None
    discount_amount: Money | None = None
    initial_amount: Money | None = None
    price: Money | None = None
    product: ItemProduct | None = None
    sku: ItemSku | None = None
    metadata: dict[str, Any] | None = None


class OrderBody(msgspec.Struct, omit_defaults=True):
    """``POST /v1/orders`` and ``PUT /v1/orders/{id}``; also the ``order`` of redemptions."""

    id: Short | msgspec.UnsetType | None = msgspec.UNSET
    source_id: Short | msgspec.UnsetType | None = msgspec.UNSET
    status: Literal["CREATED", "PAID", "CANCELED", "FULFILLED"] | msgspec.UnsetType | None = (
        msgspec.UNSET
    )
    amount: Money | msgspec.UnsetType | None = msgspec.UNSET
    initial_amount: Money | msgspec.UnsetType | None = msgspec.UNSET
    discount_amount: Money | msgspec.UnsetType | None = msgspec.UNSET
    items: list[OrderItem] | msgspec.UnsetType | None = msgspec.UNSET
    metadata: dict[str, Any] | msgspec.UnsetType | None = msgspec.UNSET
    created_at: str | msgspec.UnsetType | None = msgspec.UNSET
    referrer_id: Short | msgspec.UnsetType | None = msgspec.UNSET
    customer_id: Short | msgspec.UnsetType | None = msgspec.UNSET
    customer: CustomerCreate | msgspec.UnsetType | None = msgspec.UNSET
    referrer: CustomerCreate | msgspec.UnsetType | None = msgspec.UNSET
