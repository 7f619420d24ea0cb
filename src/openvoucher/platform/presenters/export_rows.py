"""The CSV of an export: the columns of each exported object and how a cell is written.

Cells are taken from the object as the API renders it (the voucher, customer, order …
presenters), so an export says what the API says. ``metadata`` is the metadata as JSON;
``metadata.<key>`` one property. Empty values are empty cells, booleans ``true``/``false``,
objects and lists compact JSON, dates ISO 8601 in UTC.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from openvoucher.catalog.presenters.vouchers import voucher
from openvoucher.checkout.presenters.orders import order
from openvoucher.checkout.presenters.redemptions import redemption
from openvoucher.customers.presenters.customers import customer
from openvoucher.kernel.clock import iso
from openvoucher.loyalty.domain.loyalty import last_day
from openvoucher.platform.presenters.exports import TRANSACTION_FIELDS

Render = Callable[[dict[str, Any], str], dict[str, Any]]
Cell = Callable[[dict[str, Any]], Any]


def _get(*path: str) -> Cell:
    def cell(obj: dict[str, Any]) -> Any:
        value: Any = obj
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    return cell


def _same(*names: str) -> dict[str, Cell]:
    return {name: _get(name) for name in names}


def _voucher_value(obj: dict[str, Any]) -> Any:
    if obj["type"] == "GIFT_VOUCHER":
        return (obj["gift"] or {}).get("balance")
    if obj["type"] == "LOYALTY_CARD":
        return (obj["loyalty_card"] or {}).get("balance")
    discount = obj["discount"] or {}
    for key in ("amount_off", "percent_off", "unit_off", "fixed_amount"):
        if discount.get(key) is not None:
            return discount[key]
    return None


def _days(obj: dict[str, Any]) -> str | None:
    days = obj.get("validity_day_of_week")
    return ",".join(str(day) for day in days) if days else None


VOUCHER: dict[str, Cell] = {
    **_same("code", "campaign", "category", "start_date", "expiration_date", "active"),
    "voucher_type": _get("type"),
    "value": _voucher_value,
    "formula": _get("formula"),
    "discount_type": _get("discount", "type"),
    "gift_balance": _get("gift", "balance"),
    "loyalty_balance": _get("loyalty_card", "balance"),
    "redemption_quantity": _get("redemption", "quantity"),
    "redemption_count": _get("redemption", "redeemed_quantity"),
    "qr_code": _get("assets", "qr", "url"),
    "bar_code": _get("assets", "barcode", "url"),
    **_same("metadata", "id", "is_referral_code", "created_at", "updated_at"),
    "validity_timeframe_interval": _get("validity_timeframe", "interval"),
    "validity_timeframe_duration": _get("validity_timeframe", "duration"),
    "validity_day_of_week": _days,
    "discount_amount_limit": _get("discount", "amount_limit"),
    **_same("campaign_id", "additional_info"),
    "customer_id": _get("holder_id"),
    "discount_effect": _get("discount", "effect"),
    "discount_unit_type": _get("discount", "unit_type"),
    "discount_unit_effect": _get("discount", "effect"),
    "validation_rules_id": _get("validation_rules_id"),
    "customer_source_id": _get("holder_source_id"),
}

REDEMPTION: dict[str, Cell] = {
    **_same("id", "object", "date", "voucher_code", "campaign", "promotion_tier_id"),
    "customer_id": _get("customer_id"),
    "customer_source_id": _get("customer", "source_id"),
    "customer_name": _get("customer", "name"),
    "tracking_id": _get("tracking_id"),
    "order_id": _get("order", "id"),
    "order_amount": _get("order", "amount"),
    "gift_amount": _get("gift", "amount"),
    "loyalty_points": _get("loyalty_card", "points"),
    **_same("result", "failure_code", "failure_message", "metadata"),
}

CUSTOMER: dict[str, Cell] = {
    **_same("name", "id", "description", "email", "source_id", "created_at"),
    **{
        f"address_{key}": _get("address", key)
        for key in ("city", "state", "line_1", "line_2", "country", "postal_code")
    },
    **{
        f"redemptions_{key}": _get("summary", "redemptions", key)
        for key in (
            "total_redeemed",
            "total_failed",
            "total_succeeded",
            "total_rolled_back",
            "total_rollback_failed",
            "total_rollback_succeeded",
        )
    },
    **{
        f"orders_{key}": _get("summary", "orders", key)
        for key in (
            "total_amount",
            "total_count",
            "average_amount",
            "last_order_amount",
            "last_order_date",
        )
    },
    "loyalty_points": _get("loyalty", "points"),
    "loyalty_referred_customers": _get("loyalty", "referred_customers"),
    **_same("updated_at", "phone", "birthday", "metadata", "birthdate"),
}

PUBLICATION: dict[str, Cell] = {
    **_same("voucher_code", "customer_id", "customer_source_id", "date", "channel"),
    **_same("campaign", "is_winner", "metadata"),
}

ORDER: dict[str, Cell] = _same(
    "id",
    "source_id",
    "created_at",
    "updated_at",
    "status",
    "amount",
    "discount_amount",
    "items_discount_amount",
    "total_discount_amount",
    "total_amount",
    "customer_id",
    "referrer_id",
    "metadata",
)

POINTS_EXPIRATION: dict[str, Cell] = _same(
    "id", "campaign_id", "voucher_id", "points", "status", "expires_at"
)

TRANSACTION: dict[str, Cell] = _same(*TRANSACTION_FIELDS)


def _voucher(row: dict[str, Any], base_url: str) -> dict[str, Any]:
    return {**voucher(row, base_url), "holder_source_id": row["holder_source_id"]}


def _redemption(row: dict[str, Any], _base_url: str) -> dict[str, Any]:
    body = redemption(row)
    return {**body, "voucher_code": row["voucher_code"], "campaign": row["campaign_name"]}


def _publication(row: dict[str, Any], _base_url: str) -> dict[str, Any]:
    return {
        "voucher_code": row["voucher_code"],
        "customer_id": row["customer_id"],
        "customer_source_id": row["customer_source_id"],
        "date": iso(row["created_at"]),
        "channel": row["channel"],
        "campaign": row["campaign_name"],
        "is_winner": None,
        "metadata": row["attrs"].get("metadata") or {},
    }


def _bucket(row: dict[str, Any], _base_url: str) -> dict[str, Any]:
    """A points bucket: ``expires_at`` is its last day, as the points-expiration list says."""
    expires = row["expires_at"]
    return {
        **{key: row[key] for key in ("id", "campaign_id", "voucher_id", "points", "status")},
        "expires_at": last_day(expires).isoformat() if expires else None,
    }


def _transaction(row: dict[str, Any], _base_url: str) -> dict[str, Any]:
    return {**row, "balance": row["balance_after"], "created_at": iso(row["created_at"])}


@dataclass(frozen=True)
class Kind:
    """One exported object: its columns, the default ones, its default order, its renderer."""

    cells: Mapping[str, Cell]
    defaults: tuple[str, ...]
    order: str
    render: Render


KINDS: dict[str, Kind] = {
    "voucher": Kind(
        VOUCHER, ("code", "voucher_type", "value", "discount_type"), "-created_at", _voucher
    ),
    "redemption": Kind(
        REDEMPTION,
        ("id", "object", "voucher_code", "customer_id", "date", "result"),
        "-created_at",
        _redemption,
    ),
    "customer": Kind(CUSTOMER, ("name", "source_id"), "-created_at", lambda r, _: customer(r)),
    "publication": Kind(
        PUBLICATION, ("voucher_code", "customer_id", "date", "channel"), "-created_at", _publication
    ),
    "order": Kind(ORDER, ("id", "source_id", "status"), "-created_at", lambda r, _: order(r)),
    "points_expiration": Kind(
        POINTS_EXPIRATION,
        ("id", "campaign_id", "voucher_id", "status", "expires_at", "points"),
        "expires_at",
        _bucket,
    ),
    "voucher_transactions": Kind(
        TRANSACTION,
        ("id", "type", "source_id", "reason", "source", "balance", "amount", "created_at"),
        "-created_at",
        _transaction,
    ),
}
"""Every exported object, with the default columns Voucherify documents for ``POST /v1/exports``."""


def known_field(exported_object: str, name: str) -> bool:
    """Whether ``name`` is a column of the export (``metadata.<key>`` included)."""
    return name in KINDS[exported_object].cells or (
        name.startswith("metadata.") and "metadata" in KINDS[exported_object].cells
    )


def cell(value: Any) -> str:
    """One CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), sort_keys=True)
    return str(value)


def csv_row(kind: Kind, row: dict[str, Any], fields: list[str], base_url: str) -> list[str]:
    """The cells of one row, in the order of ``fields``."""
    obj = kind.render(row, base_url)
    out = []
    for name in fields:
        if name.startswith("metadata."):
            value = (obj.get("metadata") or {}).get(name.removeprefix("metadata."))
        else:
            value = kind.cells[name](obj)
        out.append(cell(value))
    return out
