"""Reading Voucherify's customer import CSV files (pure).

Headers are matched case-insensitively. The standard columns (``Name``, ``Email``, ``Phone``,
``Birthdate``, ``Source_id``, ``Description`` and ``Address_*``) map to customer fields; ``Id``
is ignored (customers are matched by source id); every other column becomes a metadata key
with the cell's text. Empty cells are left out. Rows are :class:`CsvRow` as for products.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from openvoucher.catalog.domain.product_csv import MAX_TEXT, CsvError, CsvRow, decode

__all__ = ["CsvError", "CsvRow", "decode", "header", "rows"]

FIELDS = ("name", "email", "phone", "birthdate", "source_id", "description")
ADDRESS = {
    "address_line_1": "line_1",
    "address_line_2": "line_2",
    "address_postal_code": "postal_code",
    "address_city": "city",
    "address_state": "state",
    "address_country": "country",
}
IGNORED = ("id",)


def _column(cell: str) -> str:
    name = cell.strip()
    lowered = name.lower()
    return lowered if lowered in (*FIELDS, *ADDRESS, *IGNORED) else name


def header(text: str) -> list[str]:
    """The normalised header (standard columns lower-cased); CsvError when unusable."""
    first = next(csv.reader(io.StringIO(text)), None)
    if not first or not any(cell.strip() for cell in first):
        raise CsvError("The file has no header line")
    names = [_column(cell) for cell in first]
    if any(not name for name in names):
        raise CsvError("Column names must not be empty")
    if len(set(names)) != len(names):
        raise CsvError("Column names must be unique")
    return names


def rows(text: str) -> Iterator[CsvRow]:
    """The customer rows of the file (blank lines skipped)."""
    names = header(text)
    reader = csv.reader(io.StringIO(text))
    next(reader)
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(names):
            yield CsvRow(line, error="The row has more cells than the header")
            continue
        raw = {name: cells[i].strip() for i, name in enumerate(names) if i < len(cells)}
        try:
            yield CsvRow(line, fields=_fields(raw))
        except ValueError as exc:
            ids = {"source_id": raw["source_id"]} if raw.get("source_id") else {}
            yield CsvRow(line, fields=ids, error=str(exc))


def _fields(raw: dict[str, str]) -> dict[str, Any]:
    for name, value in raw.items():
        if name in (*FIELDS, *ADDRESS) and len(value) > MAX_TEXT:
            raise ValueError(f"{name} is longer than {MAX_TEXT} characters")
    fields: dict[str, Any] = {k: raw[k] for k in FIELDS if raw.get(k)}
    address = {key: raw[column] for column, key in ADDRESS.items() if raw.get(column)}
    if address:
        fields["address"] = address
    known = (*FIELDS, *ADDRESS, *IGNORED)
    metadata = {k: v for k, v in raw.items() if k not in known and v != ""}
    if metadata:
        fields["metadata"] = metadata
    return fields
