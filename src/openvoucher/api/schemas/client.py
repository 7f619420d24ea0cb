"""Request bodies of the client-side API (``/client/v1``), narrowed field by field.

A client key ships in a shop's front-end, so these bodies accept exactly the fields the spec
documents for the client-side operations and refuse any other one with 400 ``invalid_payload``
naming it (``Object contains unknown field `referrer` - at `order```): no ``order.customer``,
``order.referrer``, ``order.referrer_id``, ``order.customer_id`` or ``order.created_at``, no
LOCK session keys on a qualification, ``referral``/``loyalty`` of an event only with their
documented keys. Values meet the same schemas and limits as the server-side bodies
(docs/compat/limits.md, "Client-side bodies").
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from openvoucher.api.schemas.customers import Address, CustomerCreate, Short
from openvoucher.api.schemas.orders import ItemProduct, ItemSku, Money, OrderItem
from openvoucher.api.schemas.redemptions import (
    MAX_REDEEMABLES,
    GiftCredits,
    Options,
    QualificationOptions,
    Redeemable,
    Reward,
    Scenario,
    Session,
)

Unset = msgspec.UnsetType
UNSET = msgspec.UNSET


class ClientAddress(Address, forbid_unknown_fields=True):
    """A customer's address: city, state, lines, country, postal code."""


class ClientCustomer(CustomerCreate, omit_defaults=True, forbid_unknown_fields=True):
    """The ``customer`` of a client-side body (created or updated by ``source_id``)."""

    address: ClientAddress | Unset | None = UNSET


class ClientItemProduct(ItemProduct, omit_defaults=True, forbid_unknown_fields=True):
    """Product data inlined in an order item."""


class ClientItemSku(ItemSku, omit_defaults=True, forbid_unknown_fields=True):
    """SKU data inlined in an order item."""


class ClientItem(OrderItem, omit_defaults=True, forbid_unknown_fields=True):
    """One line of a client-side order."""

    product: ClientItemProduct | None = None
    sku: ClientItemSku | None = None


class ClientOrder(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """The ``order`` of a client-side body: no customer, referrer or creation date."""

    id: Short | Unset | None = UNSET
    source_id: Short | Unset | None = UNSET
    status: Literal["CREATED", "PAID", "CANCELED", "FULFILLED"] | Unset | None = UNSET
    amount: Money | Unset | None = UNSET
    initial_amount: Money | Unset | None = UNSET
    discount_amount: Money | Unset | None = UNSET
    items: list[ClientItem] | Unset | None = UNSET
    metadata: dict[str, Any] | Unset | None = UNSET


class ClientGift(GiftCredits, omit_defaults=True, forbid_unknown_fields=True):
    """``gift.credits`` of a gift-card redeemable."""


class ClientReward(Reward, omit_defaults=True, forbid_unknown_fields=True):
    """``reward`` (``id``, ``points``) of a loyalty-card redeemable."""


class ClientRedeemable(Redeemable, omit_defaults=True, forbid_unknown_fields=True):
    """One entry of ``redeemables``."""

    gift: ClientGift | None = None
    reward: ClientReward | None = None


class ClientSession(Session, omit_defaults=True, forbid_unknown_fields=True):
    """A LOCK session of a validation or redemption."""


class ClientOptions(Options, omit_defaults=True, forbid_unknown_fields=True):
    """``options.expand``."""


class ClientStackBody(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """``POST /client/v1/validations`` and ``POST /client/v1/redemptions``."""

    redeemables: Annotated[
        list[ClientRedeemable], msgspec.Meta(min_length=1, max_length=MAX_REDEEMABLES)
    ]
    order: ClientOrder | None = None
    customer: ClientCustomer | None = None
    session: ClientSession | None = None
    tracking_id: Short | None = None
    metadata: dict[str, Any] | None = None
    options: ClientOptions | None = None


class ClientQualificationSession(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """``session`` of a client-side qualification: its ``type`` only."""

    type: Literal["LOCK"] = "LOCK"


class ClientQualificationOptions(
    QualificationOptions, omit_defaults=True, forbid_unknown_fields=True
):
    """``options`` of a qualification: paging, filters, expand and sorting."""


class ClientQualificationBody(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """``POST /client/v1/qualifications``."""

    customer: ClientCustomer | None = None
    order: ClientOrder | None = None
    tracking_id: Short | None = None
    scenario: Scenario | None = None
    options: ClientQualificationOptions | None = None
    session: ClientQualificationSession | None = None
    metadata: dict[str, Any] | None = None


class ClientReferral(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """``referral`` of a custom event: the referral code and, optionally, the referrer."""

    code: Short | None = None
    referrer_id: Short | None = None


class ClientLoyalty(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """``loyalty`` of a custom event: the loyalty card's code."""

    code: Short | None = None


class ClientEventBody(msgspec.Struct, omit_defaults=True, kw_only=True, forbid_unknown_fields=True):
    """``POST /client/v1/events``: a customer's custom event."""

    event: Short
    customer: ClientCustomer
    referral: ClientReferral | None = None
    loyalty: ClientLoyalty | None = None
    metadata: dict[str, Any] | None = None
