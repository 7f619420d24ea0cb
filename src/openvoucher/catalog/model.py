"""Typed records of the catalog's aggregates and the commands its use cases take (ADR 0017).

Repositories return these records; the edges build the commands from their request structs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Category:
    """A category of vouchers and campaigns (its name is unique in the project)."""

    id: str
    name: str
    hierarchy: int
    created_at: datetime
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CategoryFields:
    """``POST``/``PUT /v1/categories``: None keeps the stored value (create requires both)."""

    name: str | None = None
    hierarchy: int | None = None


@dataclass(frozen=True, slots=True)
class Product:
    """A product of the catalog (``attributes``: the names its SKUs give values to)."""

    id: str
    source_id: str | None
    name: str | None
    price: int | None
    attributes: list[str] | None
    metadata: dict[str, Any] | None
    image_url: str | None
    created_at: datetime
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class Sku:
    """A SKU of a product (``attributes``: its values of the product's attributes)."""

    id: str
    source_id: str | None
    product_id: str
    sku: str | None
    price: int | None
    currency: str | None
    attributes: dict[str, Any] | None
    metadata: dict[str, Any] | None
    image_url: str | None
    created_at: datetime
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class MetadataSchema:
    """The metadata schema of one resource type (``related_object``) in a project: its
    definitions (JSON objects, rendered as stored) by property name."""

    id: str
    related_object: str
    allow_defined_only: bool
    properties: dict[str, dict[str, Any]]
    created_at: datetime
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MetadataSchemaFields:
    """Create or change a metadata schema (None: not given)."""

    related_object: str | None = None
    allow_defined_only: bool | None = None
    properties: dict[str, dict[str, Any]] | None = None


@dataclass(frozen=True, slots=True)
class Location:
    """A named area: ``shape`` is a circle (``distance``) or a GeoJSON polygon, as checked
    by ``domain.locations.checked_shape``."""

    id: str
    name: str
    shape: dict[str, Any]
    created_at: datetime
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LocationFields:
    """``POST /v1/locations``: the raw ``shape`` is checked by the use case."""

    name: str | None
    shape: object


@dataclass(frozen=True, slots=True)
class CollectionMember:
    """A STATIC collection's product, or one SKU of a product (``sku_id`` set)."""

    object: str
    product_id: str
    sku_id: str | None = None


@dataclass(frozen=True, slots=True)
class ProductCollection:
    """A STATIC collection (its members are listed) or an AUTO_UPDATE one (its ``filter``
    over product fields, as sent)."""

    id: str
    name: str | None
    type: str
    filter: dict[str, Any] | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MemberRef:
    """A product (``object`` "product") or SKU named by the client; ``product_id``: the
    product a SKU must belong to, when given."""

    id: str
    object: str
    product_id: str | None = None


@dataclass(frozen=True, slots=True)
class CollectionFields:
    """``POST /v1/product-collections``."""

    name: str | None
    type: str | None = None
    products: tuple[MemberRef, ...] = ()
    filter: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class RuleCopy:
    """What re-creates a validation rule elsewhere: its name and stored definition."""

    name: str
    attrs: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CampaignTemplate:
    """A saved campaign definition (a campaign body without name, category and code count)
    and copies of its validation rules."""

    id: str
    name: str
    description: str | None
    campaign_type: str
    campaign: dict[str, Any]
    validation_rules: tuple[RuleCopy, ...]
    created_at: datetime
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TemplateFields:
    """Create (from ``campaign_id`` or ``promotion_tier_id``), rename or copy (to
    ``destination_project_id``) a campaign template; None: not given."""

    name: str | None = None
    description: str | None = None
    campaign_id: str | None = None
    promotion_tier_id: str | None = None
    destination_project_id: str | None = None


@dataclass(frozen=True, slots=True)
class CampaignPick:
    """Publish from this campaign (name or id), ``count`` of its vouchers (1 when None)."""

    name: str | None = None
    count: int | None = None


@dataclass(frozen=True, slots=True)
class Publish:
    """Give a customer a voucher: a given ``voucher`` code, or one picked from ``campaign``.

    ``customer`` is the customer's body as the customers context resolves (and upserts) it;
    a ``source_id`` makes the publication idempotent.
    """

    customer: dict[str, Any] | None
    voucher: str | None = None
    campaign: CampaignPick | None = None
    source_id: str | None = None
    channel: str | None = None
    metadata: dict[str, Any] | None = None


PRODUCT_FIELDS = ("id", "source_id", "name", "price", "attributes", "metadata", "image_url")
SKU_FIELDS = (
    *("id", "source_id", "sku", "price", "currency"),
    *("attributes", "metadata", "image_url"),
)


@dataclass(frozen=True, slots=True)
class ProductChange:
    """Create or update a product: only the fields named in ``sent`` are written (a sent
    None clears); ``id``/``source_id`` pick the product to update."""

    id: str | None = None
    source_id: str | None = None
    name: str | None = None
    price: int | None = None
    attributes: list[str] | None = None
    metadata: dict[str, Any] | None = None
    image_url: str | None = None
    sent: frozenset[str] = frozenset()

    @classmethod
    def of(cls, given: Mapping[str, object]) -> ProductChange:
        """From decoded JSON (a request, a queued job, a CSV row): unknown keys are refused."""
        return cls(**_known(given, PRODUCT_FIELDS), sent=frozenset(given))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class SkuChange:
    """Create or update a SKU: only the fields named in ``sent`` are written (a sent None
    clears); ``id``/``source_id`` pick the SKU to update."""

    id: str | None = None
    source_id: str | None = None
    sku: str | None = None
    price: int | None = None
    currency: str | None = None
    attributes: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    image_url: str | None = None
    sent: frozenset[str] = frozenset()

    @classmethod
    def of(cls, given: Mapping[str, object]) -> SkuChange:
        """From decoded JSON (a request, a CSV row): unknown keys are refused."""
        return cls(**_known(given, SKU_FIELDS), sent=frozenset(given))  # type: ignore[arg-type]


def _known(given: Mapping[str, object], names: tuple[str, ...]) -> dict[str, object]:
    unknown = set(given) - set(names)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    return dict(given)
