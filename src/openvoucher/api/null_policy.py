"""What ``null`` does in an update body (docs/compat/null-policy.md, docs/adr/0028-null-policy.md).

The official SDKs' generated models send every field the caller did not set as ``null``
(``OrdersUpdateRequestBody.from_dict({"status": "PAID"})`` sends ``items: null``,
``metadata: null`` …). Were ``null`` to clear, an ordinary SDK call would wipe items, amounts,
addresses and metadata. So in the update bodies listed in :data:`UPDATE_BODIES`, ``null``
leaves the field as it is, for every field: clearing takes an explicit empty value where the
field has one (``{}`` metadata, ``[]`` items or attributes, ``unset_metadata_fields``).
"""

from __future__ import annotations

from typing import Any

import msgspec

from openvoucher.api.schemas.campaigns import CampaignUpdate
from openvoucher.api.schemas.customers import CustomerUpdate
from openvoucher.api.schemas.orders import OrderBody
from openvoucher.api.schemas.products import ProductUpdate
from openvoucher.api.schemas.vouchers import VoucherUpdate

UPDATE_BODIES: dict[str, type[msgspec.Struct]] = {
    "PUT /v1/customers/{customerId}": CustomerUpdate,
    "PUT /v1/orders/{orderId}": OrderBody,
    "PUT /v1/campaigns/{campaignId}": CampaignUpdate,
    "PUT /v1/vouchers/{code}": VoucherUpdate,
    "PUT /v1/products/{productId}": ProductUpdate,
}
"""The update bodies whose top-level ``null`` means "as it is"."""


def without_nulls(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields of an update that change something: a top-level ``null`` keeps the value."""
    return {key: value for key, value in fields.items() if value is not None}


def fields_of(body: type[msgspec.Struct]) -> list[str]:
    """The wire names of an update body's fields."""
    return [field.encode_name for field in msgspec.structs.fields(body)]
