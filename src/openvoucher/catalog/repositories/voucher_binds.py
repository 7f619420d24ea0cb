"""Driver values of voucher columns, for the bulk inserts of generated codes: the shared values
bound once per batch, and a remembering converter per column for the values that vary.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    Dialect,
)

from openvoucher.adapters.db.schema.catalog import vouchers


def driver_value(name: str, value: Any, dialect: Dialect) -> Any:
    """``value`` as the driver wants it for column ``name`` (JSON text, UTC datetimes …)."""
    processor = vouchers.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    return processor(value) if processor else value


def driver_converter(name: str, dialect: Dialect) -> Any:
    """A function giving the driver value of column ``name`` (remembering hashable values),
    or None when the driver takes the value as it is."""
    process = vouchers.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    if dialect.name == "sqlite" and isinstance(vouchers.c[name].type, JSON):
        return lambda value: None if value is None else orjson.dumps(value).decode()
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if isinstance(value, dict | list):
            return process(value)
        if value not in seen:
            seen[value] = process(value)
        return seen[value]

    return convert
