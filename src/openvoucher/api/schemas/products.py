"""Product and SKU request bodies."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

Short = Annotated[str, msgspec.Meta(max_length=300)]
Url = Annotated[str, msgspec.Meta(max_length=2000)]
Price = Annotated[int, msgspec.Meta(ge=0, le=10**15)]
Currency = Annotated[str, msgspec.Meta(min_length=3, max_length=3)]
Attributes = Annotated[list[Short], msgspec.Meta(max_length=100)]
Unset = msgspec.UnsetType
SourceId = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]


class ProductUpdate(msgspec.Struct, omit_defaults=True):
    """``PUT /v1/products/{id}``; absent fields stay as they are."""

    name: Short | Unset | None = msgspec.UNSET
    price: Price | Unset | None = msgspec.UNSET
    attributes: Attributes | Unset | None = msgspec.UNSET
    metadata: dict[str, Any] | Unset | None = msgspec.UNSET
    image_url: Url | Unset | None = msgspec.UNSET


class ProductCreate(ProductUpdate, omit_defaults=True):
    """``POST /v1/products`` (upsert by ``id`` or ``source_id``) and bulk update items."""

    id: Short | Unset | None = msgspec.UNSET
    source_id: Short | Unset | None = msgspec.UNSET


class BulkProduct(ProductUpdate, omit_defaults=True, kw_only=True):
    """One item of ``POST /v1/products/bulk/async``: matched (or created) by ``source_id``."""

    source_id: SourceId


class MetadataUpdate(msgspec.Struct):
    """``POST /v1/products/metadata/async``."""

    source_ids: Annotated[list[SourceId], msgspec.Meta(max_length=100_000)] = []
    metadata: dict[str, Any] = {}


class SkuUpdate(msgspec.Struct, omit_defaults=True):
    """``PUT /v1/products/{id}/skus/{skuId}``; absent fields stay as they are."""

    sku: Short | Unset | None = msgspec.UNSET
    price: Price | Unset | None = msgspec.UNSET
    currency: Currency | Unset | None = msgspec.UNSET
    attributes: dict[str, Any] | Unset | None = msgspec.UNSET
    image_url: Url | Unset | None = msgspec.UNSET
    metadata: dict[str, Any] | Unset | None = msgspec.UNSET


class SkuCreate(SkuUpdate, omit_defaults=True):
    """``POST /v1/products/{id}/skus`` (upsert by ``id`` or ``source_id``)."""

    id: Short | Unset | None = msgspec.UNSET
    source_id: Short | Unset | None = msgspec.UNSET


class CollectionMember(msgspec.Struct, omit_defaults=True):
    """A STATIC collection's product or SKU (``product_id``: the SKU's product)."""

    id: Short
    object: Literal["product", "sku"]
    product_id: Short | None = None


class CollectionCreate(msgspec.Struct, omit_defaults=True):
    """``POST /v1/product-collections``: STATIC with ``products``, AUTO_UPDATE with ``filter``."""

    name: Short
    type: Literal["STATIC", "AUTO_UPDATE"] | None = None
    products: Annotated[list[CollectionMember], msgspec.Meta(max_length=1000)] | None = None
    filter: dict[str, Any] | None = None
