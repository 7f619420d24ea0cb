"""Voucher imports: Voucherify's human-readable CSV columns turned into the fields of a JSON
import item. Pure; a bad cell is a :class:`RowError` naming its column.

Headers are matched ignoring case, spaces and underscores (``Start Date`` = ``start_date``);
columns that are not standard voucher fields become metadata (text values). A campaign import
skips the voucher columns the campaign decides (``Value``, ``Discount Type`` …), as Voucherify does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openvoucher.catalog.domain.vouchers import REQUIRED

COLUMNS = {
    "code": "code",
    "voucher type": "type",
    "value": "value",
    "discount type": "discount_type",
    "discount effect": "discount_effect",
    "unit type": "unit_type",
    "category": "category",
    "start date": "start_date",
    "expiration date": "expiration_date",
    "redemption limit": "redemption_limit",
    "redeemed quantity": "redeemed_quantity",
    "redeemed amount": "redeemed_amount",
    "active": "active",
    "additional info": "additional_info",
    "gift amount": "gift_amount",
    "loyalty points": "loyalty_points",
    "validation rule id": "validation_rule_id",
}
"""Normalised header → field of the row (``value`` & co. are combined below)."""

CAMPAIGN_COLUMNS = frozenset(
    {"code", "category", "active", "start_date", "expiration_date", "redeemed_quantity"}
    | {"redeemed_amount", "gift_amount", "loyalty_points", "additional_info"}
    | {"validation_rule_id"}
)
UNSUPPORTED = frozenset({"formula", "validation rule"})
SKIPPED = "(skipped)"
"""The field of a column a campaign import skips: a voucher field the campaign decides (Voucherify
imports only the listed campaign columns and skips the others)."""
TRUE = frozenset({"true", "yes", "1", "y"})
FALSE = frozenset({"false", "no", "0", "n"})


class RowError(Exception):
    """One row cannot be imported: which field and why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Header:
    """What each CSV column holds: a standard field, or a metadata key."""

    fields: tuple[str | None, ...]
    titles: tuple[str, ...]
    _titles: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name, title in zip(self.fields, self.titles, strict=True):
            if name is not None:
                self._titles[name] = title

    def title(self, name: str) -> str:
        """The header of field ``name`` as the file spelled it, for error reports."""
        return self._titles.get(name, name)


def normalise(title: str) -> str:
    """``" Start_Date "`` → ``"start date"``."""
    return " ".join(title.replace("_", " ").split()).lower()


def read_header(titles: Sequence[str], *, campaign: bool) -> Header:
    """The column plan of a CSV header; ValueError when it cannot be imported."""
    fields: list[str | None] = []
    for title in titles:
        key = normalise(title)
        if not key:
            raise ValueError("A CSV column has an empty header")
        name = _column(title, key, campaign=campaign)
        if name not in {None, SKIPPED} and name in fields:
            raise ValueError(f"The CSV column '{title}' appears twice")
        fields.append(name)
    if "code" not in fields:
        raise ValueError("The CSV file needs a Code column")
    return Header(tuple(fields), tuple(t.strip() for t in titles))


def _column(title: str, key: str, *, campaign: bool) -> str | None:
    """The field a column fills, ``SKIPPED``, or None for a metadata column."""
    if key in UNSUPPORTED:
        if campaign:
            return SKIPPED
        raise ValueError(f"The CSV column '{title}' is not supported")
    name = COLUMNS.get(key)
    if campaign and name is not None and name not in CAMPAIGN_COLUMNS:
        return SKIPPED
    return name


def csv_item(header: Header, cells: Sequence[str]) -> dict[str, Any]:
    """One CSV row as import item fields (empty cells are absent)."""
    if len(cells) != len(header.fields):
        raise RowError("row", f"has {len(cells)} cells, the header has {len(header.fields)}")
    raw: dict[str, str] = {}
    metadata: dict[str, str] = {}
    for name, title, cell in zip(header.fields, header.titles, cells, strict=True):
        value = cell.strip()
        if not value or name == SKIPPED:
            continue
        if name is None:
            metadata[title] = value
        else:
            raw[name] = value
    item: dict[str, Any] = {"metadata": metadata} if metadata else {}
    for name in ("code", "type", "category", "start_date", "expiration_date", "additional_info"):
        if name in raw:
            item[name] = raw[name]
    if "active" in raw:
        item["active"] = _boolean(header.title("active"), raw["active"])
    if "validation_rule_id" in raw:
        item["validation_rules"] = [raw["validation_rule_id"]]
    item.update(_counts(header, raw))
    item.update(_value(header, raw))
    return item


def _counts(header: Header, raw: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    if "redemption_limit" in raw:
        limit = _integer(header.title("redemption_limit"), raw["redemption_limit"])
        item["redemption"] = {"quantity": limit}
    for name in ("redeemed_quantity", "redeemed_amount"):
        if name in raw:
            item[name] = _integer(header.title(name), raw[name])
    if "gift_amount" in raw:
        item["gift"] = {"amount": _integer(header.title("gift_amount"), raw["gift_amount"])}
    if "loyalty_points" in raw:
        points = _integer(header.title("loyalty_points"), raw["loyalty_points"])
        item["loyalty_card"] = {"points": points}
    return item


def _value(header: Header, raw: dict[str, str]) -> dict[str, Any]:
    """``Value`` (+ ``Discount Type``/``Effect``/``Unit Type``) as the voucher's value object."""
    kind = raw.get("type")
    value = raw.get("value")
    if kind == "GIFT_VOUCHER" and value is not None:
        return {"gift": {"amount": _integer(header.title("value"), value)}}
    if kind == "LOYALTY_CARD" and value is not None:
        return {"loyalty_card": {"points": _integer(header.title("value"), value)}}
    if kind != "DISCOUNT_VOUCHER":
        return {}
    discount: dict[str, Any] = {"type": raw.get("discount_type")}
    if value is not None:
        target = REQUIRED.get(str(discount["type"]), "unit_off")
        discount[target] = _number(header.title("value"), value)
    if "discount_effect" in raw:
        discount["effect"] = raw["discount_effect"]
    if "unit_type" in raw:
        discount["unit_type"] = raw["unit_type"]
    return {"discount": discount}


def _boolean(title: str, value: str) -> bool:
    lowered = value.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise RowError(title, f"'{value}' is not TRUE or FALSE")


def _integer(title: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise RowError(title, f"'{value}' is not a whole number") from None


def _number(title: str, value: str) -> int | float:
    try:
        number = float(value)
    except ValueError:
        raise RowError(title, f"'{value}' is not a number") from None
    return int(number) if number.is_integer() else number
