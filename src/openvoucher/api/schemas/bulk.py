"""Request bodies of the voucher and customer bulk async endpoints."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from openvoucher.api.schemas.customers import CustomerUpdate

Ident = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
Idents = Annotated[list[Ident], msgspec.Meta(max_length=100_000)]


class VoucherMetadataItem(msgspec.Struct, omit_defaults=True):
    """One item of ``POST /v1/vouchers/bulk/async``: a code and the metadata to merge in."""

    code: Ident
    metadata: dict[str, Any] | None = None


class VouchersMetadataUpdate(msgspec.Struct):
    """``POST /v1/vouchers/metadata/async``."""

    codes: Idents | None = None
    metadata: dict[str, Any] | None = None


class BulkCustomer(CustomerUpdate, omit_defaults=True, kw_only=True):
    """One item of ``POST /v1/customers/bulk/async``: matched (or created) by ``source_id``."""

    source_id: Ident


class CustomersMetadataUpdate(msgspec.Struct):
    """``POST /v1/customers/metadata/async``."""

    source_ids: Idents | None = None
    metadata: dict[str, Any] | None = None
