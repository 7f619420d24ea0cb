"""Reading Voucherify's product and SKU import CSV files (pure).

Headers are matched case-insensitively. Standard columns map to product/SKU fields; every
other column becomes a metadata key. Each data row yields a :class:`CsvRow` whose ``line`` is
its line in the file (the header is line 1), with either ``fields`` or an ``error``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

PRODUCT_COLUMNS = ("name", "source_id", "price", "attributes", "image_url")
SKU_COLUMNS = ("product_id", "sku", "source_id", "price", "currency", "image_url", "attributes")
PRODUCT_REQUIRED = ("name",)
SKU_REQUIRED = ("source_id", "product_id")
MAX_TEXT = 300


@dataclass(frozen=True)
class CsvRow:
    """One data row: its line number, the parsed fields, or why it cannot be used."""

    line: int
    fields: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def source_id(self) -> str | None:
        """The row's ``source_id`` when it has one."""
        value = self.fields.get("source_id")
        return value if isinstance(value, str) else None


class CsvError(ValueError):
    """The file as a whole cannot be imported (encoding, header)."""


def decode(raw: bytes) -> str:
    """The file's text (UTF-8, a byte-order mark allowed)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvError("The file must be UTF-8 encoded CSV") from exc


def header(text: str, required: tuple[str, ...]) -> list[str]:
    """The normalised header, checked for the ``required`` columns."""
    first = next(csv.reader(io.StringIO(text)), None)
    if not first or not any(cell.strip() for cell in first):
        raise CsvError("The file has no header line")
    names = [_column(cell) for cell in first]
    missing = [name for name in required if name not in names]
    if missing:
        raise CsvError(f"Missing required column(s): {', '.join(missing)}")
    if len(set(names)) != len(names):
        raise CsvError("Column names must be unique")
    return names


def _column(cell: str) -> str:
    name = cell.strip()
    return name.lower() if name.lower() in PRODUCT_COLUMNS + SKU_COLUMNS else name


def product_rows(text: str) -> Iterator[CsvRow]:
    """The product rows of the file."""
    yield from _rows(text, PRODUCT_REQUIRED, _product_fields)


def sku_rows(text: str) -> Iterator[CsvRow]:
    """The SKU rows of the file."""
    yield from _rows(text, SKU_REQUIRED, _sku_fields)


def _rows(text: str, required: tuple[str, ...], convert: Any) -> Iterator[CsvRow]:
    names = header(text, required)
    reader = csv.reader(io.StringIO(text))
    next(reader)
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(names):
            yield CsvRow(line, error="The row has more cells than the header")
            continue
        raw = {name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(names)}
        try:
            yield CsvRow(line, fields=convert(raw, required))
        except ValueError as exc:
            yield CsvRow(line, fields=_ids(raw), error=str(exc))


def _ids(raw: dict[str, str]) -> dict[str, Any]:
    return {"source_id": raw["source_id"]} if raw.get("source_id") else {}


def _common(
    raw: dict[str, str], required: tuple[str, ...], standard: tuple[str, ...]
) -> dict[str, Any]:
    for name in required:
        if not raw.get(name):
            raise ValueError(f"{name} is required")
    fields: dict[str, Any] = {}
    for name in standard:
        value = raw.get(name, "")
        if value and name not in ("price", "attributes"):
            if len(value) > MAX_TEXT:
                raise ValueError(f"{name} is longer than {MAX_TEXT} characters")
            fields[name] = value
    if raw.get("price"):
        fields["price"] = _price(raw["price"])
    metadata = {k: v for k, v in raw.items() if k not in standard and v != ""}
    if metadata:
        fields["metadata"] = metadata
    return fields


def _price(value: str) -> int:
    try:
        price = int(value)
    except ValueError:
        raise ValueError(
            f"price must be an integer (smallest currency unit), got {value!r}"
        ) from None
    if price < 0:
        raise ValueError("price must not be negative")
    return price


def _product_fields(raw: dict[str, str], required: tuple[str, ...]) -> dict[str, Any]:
    fields = _common(raw, required, PRODUCT_COLUMNS)
    if raw.get("attributes"):
        fields["attributes"] = [a.strip() for a in raw["attributes"].split(",") if a.strip()]
    return fields


def _sku_fields(raw: dict[str, str], required: tuple[str, ...]) -> dict[str, Any]:
    fields = _common(raw, required, SKU_COLUMNS)
    if raw.get("attributes"):
        fields["attributes"] = _json_object(raw["attributes"])
    return fields


def _json_object(value: str) -> dict[str, Any]:
    # Voucherify's template writes SKU attributes as "{'color':'blue'}"; plain JSON works too.
    for candidate in (value, value.replace("'", '"')):
        try:
            parsed = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(parsed, dict):
            return parsed
    raise ValueError("attributes must be a JSON object, e.g. {'color':'blue'}")
