"""Voucherify's list filters: ``filters[field][conditions][$op][i]=value`` and
``filters[junction]=and|or``, parsed into typed conditions. Pure: no SQL, no HTTP.

Each list endpoint passes the fields it understands and their kind; a field or an
operator outside them, or a value of the wrong type, is a :class:`FilterError`.
A field pattern ending in ``.*`` (``metadata.*``) admits any ``metadata.<key>``.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openvoucher.kernel.clock import parse_datetime

STRING_OPS = frozenset(
    {"$is", "$is_not", "$in", "$not_in", "$starts_with", "$ends_with", "$contains"}
    | {"$not_contain", "$has_value", "$is_unknown"}
)
COMPARE_OPS = frozenset({"$more_than", "$more_than_equal", "$less_than", "$less_than_equal"})
NUMBER_OPS = frozenset({"$is", "$is_not", "$in", "$not_in", "$has_value", "$is_unknown"})
OPERATORS: dict[str, frozenset[str]] = {
    "string": STRING_OPS,
    "number": NUMBER_OPS | COMPARE_OPS,
    # $more_than / $less_than on a date: more / less than N days ago.
    "date": frozenset({"$after", "$before", "$more_than", "$less_than", "$has_value"})
    | {"$is_unknown"},
    "boolean": frozenset({"$is", "$is_not", "$has_value", "$is_unknown"}),
    # Free-form JSON (metadata): text conditions, and numeric comparisons on numbers.
    "json": STRING_OPS | COMPARE_OPS,
    # A voucher's ``active`` field: its state as Voucherify's dashboard filters show it.
    "voucher_state": frozenset({"$active", "$expired", "$enabled", "$disabled", "$is"})
    | {"$is_not"},
}
NO_VALUE = frozenset({"$has_value", "$is_unknown"})
MULTI = frozenset({"$is", "$is_not", "$in", "$not_in", "$starts_with", "$ends_with"}) | {
    "$contains",
    "$not_contain",
}
UNSET = "None"
"""What the official Python SDK sends for every condition it was not given."""

_KEY = re.compile(r"^\[?filters\]?\[([^\[\]]+)\](?:\[conditions\]\[([^\[\]]+)\](?:\[(\d*)\])?)?$")
_FIELD = re.compile(r"^[A-Za-z_][\w\-]*(?:\.[\w\-]+)*$")


class FilterError(ValueError):
    """A filter query the list cannot answer; the message says why."""


@dataclass(frozen=True)
class Condition:
    """One field's condition; ``values`` are typed for the field's kind (empty for
    ``$has_value``/``$is_unknown``; integers of days for relative date conditions)."""

    field: str
    op: str
    values: tuple[Any, ...]
    kind: str


@dataclass(frozen=True)
class Filters:
    """All conditions of a query and how they combine."""

    conditions: tuple[Condition, ...] = ()
    junction: str = "and"

    def __bool__(self) -> bool:
        return bool(self.conditions)


NO_FILTERS = Filters()


def kind_of(field: str, fields: Mapping[str, str]) -> str | None:
    """The kind of ``field`` in ``fields`` (exact names first, then ``prefix.*`` patterns)."""
    if field in fields:
        return fields[field]
    head, _, rest = field.partition(".")
    while rest:
        if f"{head}.*" in fields:
            return fields[f"{head}.*"]
        step, _, rest = rest.partition(".")
        head = f"{head}.{step}"
    return None


def parse(items: Iterable[tuple[str, str]], fields: Mapping[str, str]) -> Filters:
    """The ``filters`` of a query string given as ``(key, value)`` pairs; other keys are
    ignored. A ``filters`` key holding a JSON object is read as the nested form."""
    raw: dict[tuple[str, str], list[str]] = {}
    junction = "and"
    for key, value in _expand(items):
        match = _KEY.match(key)
        if match is None:
            if key.startswith(("filters[", "[filters]")):
                raise FilterError(f"'{key}' is not of the form filters[field][conditions][$op]")
            continue
        field, op, _index = match.groups()
        if value == UNSET:
            continue
        if op is None:
            if field != "junction":
                raise FilterError(f"filters[{field}] needs [conditions][$operator]")
            junction = _junction(value)
            continue
        raw.setdefault((field, op), []).extend(_split(value) if op in MULTI else [value])
    conditions = tuple(_condition(f, op, values, fields) for (f, op), values in raw.items())
    return Filters(conditions, junction)


def _expand(items: Iterable[tuple[str, str]]) -> Iterable[tuple[str, str]]:
    for key, value in items:
        if key == "filters" and value.strip().startswith("{"):
            yield from _flatten("filters", _checked(_json(value)))
        elif key == "filters" and value.strip() and value != UNSET:
            raise FilterError("filters must be a JSON object or filters[field][conditions][$op]")
        else:
            yield key, value


def _json(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        raise FilterError("filters is not valid JSON") from None


def _checked(nested: Any) -> Any:
    """The JSON form, each field holding at least one condition (none would filter nothing)."""
    if not isinstance(nested, dict):
        raise FilterError("filters must be a JSON object")
    for field, spec in nested.items():
        if field == "junction" or spec is None:
            continue
        conditions = spec.get("conditions") if isinstance(spec, dict) else None
        if not isinstance(conditions, dict) or not conditions:
            raise FilterError(f'filters.{field} needs conditions: {{"$operator": value}}')
    return nested


def _flatten(prefix: str, value: Any) -> Iterable[tuple[str, str]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _flatten(f"{prefix}[{key}]", inner)
    elif isinstance(value, list):
        for item in value:
            yield prefix, _text(item)
    elif value is not None:
        yield prefix, _text(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _junction(value: str) -> str:
    junction = value.strip().lower()
    if junction not in {"and", "or"}:
        raise FilterError("filters[junction] must be AND or OR")
    return junction


def _split(value: str) -> list[str]:
    """One value, or the items of a list the SDKs may send as one (``['a', 'b']``)."""
    text = value.strip()
    if not (text.startswith("[") and text.endswith("]")):
        return [value]
    try:
        items = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return [value]
    if not isinstance(items, list | tuple):
        return [value]
    return [_text(item) for item in items]


def _condition(field: str, op: str, values: list[str], fields: Mapping[str, str]) -> Condition:
    kind = kind_of(field, fields) if _FIELD.match(field) else None
    if kind is None:
        raise FilterError(f"Filtering by {field} is not supported")
    if op not in OPERATORS[kind]:
        raise FilterError(f"Filter condition {op} is not supported for {field}")
    if op in NO_VALUE:
        return Condition(field, op, (), kind)
    if op not in MULTI and len(values) != 1:
        raise FilterError(f"filters[{field}][conditions][{op}] takes one value")
    typed = tuple(_typed(field, op, kind, value) for value in values)
    return Condition(field, op, typed, kind)


def _typed(field: str, op: str, kind: str, value: str) -> Any:
    where = f"filters[{field}][conditions][{op}]"
    if kind == "number" or (kind == "json" and op in COMPARE_OPS):
        return _number(where, value)
    if kind == "date":
        if op in {"$more_than", "$less_than"}:
            return int(_number(where, value))
        return _date(where, value)
    if kind in {"boolean", "voucher_state"}:
        return _boolean(where, value)
    return value


def _number(where: str, value: str) -> int | float:
    try:
        number = float(value)
    except ValueError:
        raise FilterError(f"{where} must be a number") from None
    return int(number) if number.is_integer() else number


def _date(where: str, value: str) -> datetime:
    # An unencoded ``+`` in a query string arrives as a space: ``…T10:00:00 00:00``.
    text = re.sub(r" (\d\d:?\d\d)$", r"+\1", value.strip())
    try:
        return parse_datetime(text)
    except ValueError:
        raise FilterError(f"{where} must be an ISO-8601 date-time") from None


def _boolean(where: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"true", "1", ""}:
        return True
    if lowered in {"false", "0"}:
        return False
    raise FilterError(f"{where} must be true or false")
