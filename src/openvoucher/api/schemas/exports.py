"""Request bodies of exports (``POST /v1/exports`` and the scoped export endpoints)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

Name = Annotated[str, msgspec.Meta(max_length=200)]
ExportedObject = Literal[
    "voucher",
    "redemption",
    "customer",
    "publication",
    "order",
    "points_expiration",
    "voucher_transactions",
]


class ExportParameters(msgspec.Struct, omit_defaults=True):
    """What an export holds (``fields``), which rows (``filters``) and in which ``order``;
    the columns, orders and filter fields allowed depend on the exported object."""

    order: Name | None = None
    fields: Annotated[list[Name], msgspec.Meta(max_length=200)] | None = None
    filters: dict[str, Any] | None = None
    campaign_id: Name | None = None


class ExportCreate(msgspec.Struct, omit_defaults=True):
    """``POST /v1/exports``."""

    exported_object: ExportedObject
    parameters: ExportParameters | None = None


class ParametersBody(msgspec.Struct, omit_defaults=True):
    """``POST /v1/orders/export``, ``…/points-expiration/export``, ``…/transactions/export``."""

    parameters: ExportParameters | None = None
    order: Name | None = None


def given_parameters(body: ExportCreate | ParametersBody) -> dict[str, Any]:
    """The body's ``parameters`` as plain data (a top-level ``order`` counts when the
    parameters have none, as Voucherify's campaign-transactions example sends it)."""
    given: dict[str, Any] = msgspec.to_builtins(body.parameters) if body.parameters else {}
    order = getattr(body, "order", None)
    if order and not given.get("order"):
        given["order"] = order
    return given
