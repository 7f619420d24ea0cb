"""Order request bodies (also embedded in validations and redemptions)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

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


class ItemSku(msgspec.Struct, omit_defaults=True):
    """SKU data inlined in an order item."""

    id: Short | None = None
    source_id: Short | None = None
    override: bool | None = None
    sku: Short | None = None
    price: float | None = None
    metadata: dict[str, Any] | None = None


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

    id: Short | None | msgspec.UnsetType = msgspec.UNSET
    source_id: Short | None | msgspec.UnsetType = msgspec.UNSET
    status: Literal["CREATED", "PAID", "CANCELED", "FULFILLED"] | None | msgspec.UnsetType = (
        msgspec.UNSET
    )
    amount: Money | None | msgspec.UnsetType = msgspec.UNSET
    initial_amount: Money | None | msgspec.UnsetType = msgspec.UNSET
    discount_amount: Money | None | msgspec.UnsetType = msgspec.UNSET
    items: list[OrderItem] | None | msgspec.UnsetType = msgspec.UNSET
    metadata: dict[str, Any] | None | msgspec.UnsetType = msgspec.UNSET
    created_at: str | None | msgspec.UnsetType = msgspec.UNSET
    referrer_id: Short | None | msgspec.UnsetType = msgspec.UNSET
    customer_id: Short | None | msgspec.UnsetType = msgspec.UNSET
    customer: CustomerCreate | None | msgspec.UnsetType = msgspec.UNSET
    referrer: CustomerCreate | None | msgspec.UnsetType = msgspec.UNSET
