"""Metadata against a metadata schema: which values a resource's metadata may hold.

A schema has ``allow_defined_only`` and ``properties`` (``{name: definition}``, as stored by
the metadata-schema endpoints): a ``catalog.model.MetadataSchema``, or a :class:`Defined` for
other definitions (a custom event's). A definition has a ``type`` (string, number, boolean, date,
datetime, image_url, geopoint, object), ``array`` (the value is a list of such values),
``optional`` (false: the key must be present and not null), ``deleted`` (ignored, as if not
defined) and constraints: ``min_length``/``max_length``/``exact_length`` and ``eq`` for
strings; ``lt``/``lte``/``gt``/``gte``, ``eq`` and ``ne`` for numbers. An ``object``
definition names, in ``object_type``, the nested schema its value follows.

Undefined keys pass unless the schema allows defined keys only. :func:`violations` returns
one readable line per problem; no line means the metadata is acceptable.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

Check = Callable[[Any, Mapping[str, Any]], str | None]


class Schema(Protocol):
    """What metadata is judged against."""

    @property
    def properties(self) -> Mapping[str, Mapping[str, Any]]:
        """The definitions, by property name."""
        ...

    @property
    def allow_defined_only(self) -> bool:
        """Whether keys without a definition are refused."""
        ...


@dataclass(frozen=True, slots=True)
class Defined:
    """Definitions alone (e.g. a custom event schema's), any other key allowed or not."""

    properties: Mapping[str, Mapping[str, Any]]
    allow_defined_only: bool = False


def violations(
    metadata: Mapping[str, Any],
    schema: Schema,
    nested: Mapping[str, Schema],
    *,
    path: str = "metadata",
) -> list[str]:
    """Every way ``metadata`` breaks ``schema`` (``nested``: object schemas by name)."""
    definitions = live_definitions(schema)
    problems: list[str] = []
    for name, definition in definitions.items():
        value = metadata.get(name)
        if value is None:
            if definition.get("optional") is False:
                problems.append(f"{path}.{name} is required")
            continue
        problems.extend(_value_problems(f"{path}.{name}", value, definition, nested))
    if schema.allow_defined_only:
        problems.extend(
            f"{path}.{name} is not defined in the metadata schema"
            for name in metadata
            if name not in definitions
        )
    return problems


def live_definitions(schema: Schema) -> dict[str, Mapping[str, Any]]:
    """The schema's definitions that are not deleted."""
    return {name: d for name, d in schema.properties.items() if not d.get("deleted")}


def object_types(schema: Schema) -> set[str]:
    """The nested schemas the definitions of ``schema`` refer to."""
    return {
        str(d["object_type"])
        for d in live_definitions(schema).values()
        if d.get("type") == "object" and d.get("object_type")
    }


def _value_problems(
    path: str, value: Any, definition: Mapping[str, Any], nested: Mapping[str, Schema]
) -> list[str]:
    if not definition.get("array"):
        return _single_problems(path, value, definition, nested)
    if not isinstance(value, list):
        return [f"{path} must be an array"]
    problems: list[str] = []
    for index, item in enumerate(value):
        problems.extend(_single_problems(f"{path}[{index}]", item, definition, nested))
    return problems


def _single_problems(
    path: str, value: Any, definition: Mapping[str, Any], nested: Mapping[str, Schema]
) -> list[str]:
    kind = definition.get("type")
    if kind == "object":
        return _object_problems(path, value, definition, nested)
    check = CHECKS.get(str(kind))
    reason = check(value, definition) if check is not None else None
    return [] if reason is None else [f"{path} {reason}"]


def _object_problems(
    path: str, value: Any, definition: Mapping[str, Any], nested: Mapping[str, Schema]
) -> list[str]:
    if not isinstance(value, dict):
        return [f"{path} must be an object"]
    schema = nested.get(str(definition.get("object_type")))
    if schema is None:
        return []
    return violations(value, schema, {}, path=path)


def _string(value: Any, definition: Mapping[str, Any]) -> str | None:
    if not isinstance(value, str):
        return "must be a string"
    length = len(value)
    exact, low, high = (definition.get(k) for k in ("exact_length", "min_length", "max_length"))
    if exact is not None and length != exact:
        return f"must be exactly {exact} characters long"
    if low is not None and length < low:
        return f"must be at least {low} characters long"
    if high is not None and length > high:
        return f"must be at most {high} characters long"
    allowed = definition.get("eq")
    if allowed and value not in allowed:
        return f"must be one of {_listed(allowed)}"
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


BOUNDS: tuple[tuple[str, Callable[[float, float], bool], str], ...] = (
    ("lt", lambda v, b: v < b, "less than"),
    ("lte", lambda v, b: v <= b, "less than or equal to"),
    ("gt", lambda v, b: v > b, "greater than"),
    ("gte", lambda v, b: v >= b, "greater than or equal to"),
)


def _number(value: Any, definition: Mapping[str, Any]) -> str | None:
    if not _is_number(value):
        return "must be a number"
    for key, holds, words in BOUNDS:
        bound = definition.get(key)
        if bound is not None and not holds(value, bound):
            return f"must be {words} {_shown(bound)}"
    allowed = [v for v in definition.get("eq") or [] if _is_number(v)]
    if allowed and value not in allowed:
        return f"must be one of {_listed(allowed)}"
    if value in [v for v in definition.get("ne") or [] if _is_number(v)]:
        return f"must not be {_shown(value)}"
    return None


def _boolean(value: Any, _definition: Mapping[str, Any]) -> str | None:
    return None if isinstance(value, bool) else "must be a boolean"


def _date(value: Any, _definition: Mapping[str, Any]) -> str | None:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return "must be a date (YYYY-MM-DD)"
    return None if len(value) == 10 else "must be a date (YYYY-MM-DD)"


def _datetime(value: Any, _definition: Mapping[str, Any]) -> str | None:
    if not isinstance(value, str) or "T" not in value:
        return "must be an ISO 8601 date and time"
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return "must be an ISO 8601 date and time"
    return None


def _image_url(value: Any, _definition: Mapping[str, Any]) -> str | None:
    if isinstance(value, str) and value.startswith(("http://", "https://")) and len(value) > 8:
        return None
    return "must be an http(s) URL"


def _geopoint(value: Any, _definition: Mapping[str, Any]) -> str | None:
    point = _coordinates(value)
    if point is None:
        return "must be a geopoint (latitude, longitude)"
    latitude, longitude = point
    if -90 <= latitude <= 90 and -180 <= longitude <= 180:
        return None
    return "must be a geopoint within latitude ±90 and longitude ±180"


def _coordinates(value: Any) -> tuple[float, float] | None:
    pair: list[Any]
    if isinstance(value, dict):
        pair = [value.get("latitude"), value.get("longitude")]
    elif isinstance(value, str) and value.count(",") == 1:
        pair = [part.strip() for part in value.split(",")]
    else:
        return None
    try:
        latitude, longitude = (float(part) for part in pair if not isinstance(part, bool))
    except (TypeError, ValueError):
        return None
    return latitude, longitude


def _listed(values: list[Any]) -> str:
    return ", ".join(_shown(v) for v in values)


def _shown(value: Any) -> str:
    # Stored bounds are floats; 9.0 reads as 9.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


CHECKS: dict[str, Check] = {
    "string": _string,
    "number": _number,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
    "image_url": _image_url,
    "geopoint": _geopoint,
}


def typed_text(values: Mapping[str, Any], schema: Schema) -> dict[str, Any]:
    """CSV metadata (text) typed by the schema: numbers and booleans become so when they
    parse; everything else stays text (and :func:`violations` judges it)."""
    definitions = live_definitions(schema)
    return {
        name: _typed(value, definitions.get(name, {}).get("type"))
        if isinstance(value, str)
        else value
        for name, value in values.items()
    }


def _typed(text: str, kind: Any) -> Any:
    if kind == "boolean" and text.strip().lower() in ("true", "false"):
        return text.strip().lower() == "true"
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            return text
        if not math.isfinite(number):
            return text
        return int(number) if number.is_integer() and "." not in text else number
    return text
