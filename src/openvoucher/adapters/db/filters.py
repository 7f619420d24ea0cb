"""Parsed list filters (:mod:`openvoucher.kernel.filters`) as SQLAlchemy conditions.

Each repository declares a whitelist: filter field name → :class:`FieldRef`, a column or a
path inside a JSON column. JSON values are read the same way on SQLite and PostgreSQL:
as text for text conditions, as a number (only when the value is a JSON number) for
comparisons. Text matching (``$starts_with``, ``$ends_with``, ``$contains``,
``$not_contain``) ignores case; ``$is`` / ``$in`` are exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Dialect,
    Float,
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    not_,
    or_,
    true,
)

from openvoucher.kernel.filters import COMPARE_OPS, Condition, Filters


@dataclass(frozen=True)
class FieldRef:
    """Where a filter field lives: ``expr`` itself, or ``path`` inside the JSON ``expr``.

    ``start``/``end`` are the validity columns of a ``voucher_state`` field.
    """

    expr: Any
    kind: str
    path: tuple[str, ...] = ()
    start: Any = None
    end: Any = None


def column(expr: Any, kind: str) -> FieldRef:
    """A plain column."""
    return FieldRef(expr, kind)


def json_path(expr: Any, *path: str, kind: str = "json") -> FieldRef:
    """A value inside a JSON column (a ``name.*`` field appends the rest of its name)."""
    return FieldRef(expr, kind, tuple(path))


def constant(value: bool) -> FieldRef:
    """A boolean field that has the same value on every row (e.g. ``is_referral_code``)."""
    return FieldRef(literal(value, Boolean()), "boolean")


def kinds(fields: Mapping[str, FieldRef]) -> dict[str, str]:
    """Field name → kind, what the parser needs."""
    return {name: ref.kind for name, ref in fields.items()}


def where(
    filters: Filters, fields: Mapping[str, FieldRef], dialect: Dialect, now: datetime
) -> ColumnElement[bool] | None:
    """All conditions joined by the junction; None when there are none."""
    if not filters.conditions:
        return None
    clauses = [_clause(c, _resolve(c.field, fields), dialect, now) for c in filters.conditions]
    return or_(*clauses) if filters.junction == "or" else and_(*clauses)


def _resolve(field: str, fields: Mapping[str, FieldRef]) -> FieldRef:
    if field in fields:
        return fields[field]
    head, _, rest = field.partition(".")
    while rest:
        ref = fields.get(f"{head}.*")
        if ref is not None:
            return FieldRef(ref.expr, ref.kind, (*ref.path, *rest.split(".")))
        step, _, rest = rest.partition(".")
        head = f"{head}.{step}"
    raise KeyError(field)  # the parser admits only whitelisted fields


def _clause(
    condition: Condition, ref: FieldRef, dialect: Dialect, now: datetime
) -> ColumnElement[bool]:
    if ref.kind == "voucher_state":
        return _state(condition, ref, now)
    text = _json_text(ref, dialect) if ref.path else ref.expr
    number = _json_number(ref, dialect) if ref.path else ref.expr
    op, values = condition.op, condition.values
    if op in {"$has_value", "$is_unknown"}:
        return text.is_not(None) if op == "$has_value" else text.is_(None)  # type: ignore[no-any-return]
    if ref.kind == "date":
        return _date(op, text, values[0], now)
    if op in COMPARE_OPS:
        return _compare(op, number, values[0])
    return _match(op, text, number, values, ref)


def _match(
    op: str, text: Any, number: Any, values: Sequence[Any], ref: FieldRef
) -> ColumnElement[bool]:
    if op in {"$is", "$in"}:
        return _any_of(text, number, values, ref)
    if op in {"$is_not", "$not_in"}:
        return or_(text.is_(None), not_(_any_of(text, number, values, ref)))
    matched = or_(*(_like(op, text, str(value)) for value in values))
    if op == "$not_contain":
        return or_(text.is_(None), not_(matched))
    return matched


def _any_of(text: Any, number: Any, values: Sequence[Any], ref: FieldRef) -> ColumnElement[bool]:
    if ref.kind == "boolean":
        return or_(*(text.is_(true()) if v else text.is_(false()) for v in values))
    clause: ColumnElement[bool] = text.in_(values)
    if ref.path:
        # A JSON number stored as 1 matches "1", "1.0" …
        numbers = [float(v) for v in values if _numeric(v)]
        if numbers:
            clause = or_(clause, number.in_(numbers))
    return clause


def _numeric(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _compare(op: str, expr: Any, value: Any) -> ColumnElement[bool]:
    if op == "$more_than":
        return expr > value  # type: ignore[no-any-return]
    if op == "$more_than_equal":
        return expr >= value  # type: ignore[no-any-return]
    if op == "$less_than":
        return expr < value  # type: ignore[no-any-return]
    return expr <= value  # type: ignore[no-any-return]


def _date(op: str, expr: Any, value: Any, now: datetime) -> ColumnElement[bool]:
    if op == "$after":
        return expr > value  # type: ignore[no-any-return]
    if op == "$before":
        return expr < value  # type: ignore[no-any-return]
    cutoff = now - timedelta(days=int(value))
    # More than N days ago = before the cutoff; less than N days ago = after it.
    return expr < cutoff if op == "$more_than" else expr > cutoff  # type: ignore[no-any-return]


def _like(op: str, expr: Any, value: str) -> ColumnElement[bool]:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = {
        "$starts_with": f"{escaped}%",
        "$ends_with": f"%{escaped}",
    }.get(op, f"%{escaped}%")
    return func.lower(expr, type_=String).like(pattern, escape="\\")


def _state(condition: Condition, ref: FieldRef, now: datetime) -> ColumnElement[bool]:
    wanted = bool(condition.values[0]) if condition.values else True
    active = ref.expr.is_(true())
    if condition.op == "$expired":
        clause: ColumnElement[bool] = and_(ref.end.is_not(None), ref.end < now)
    elif condition.op == "$active":
        started = or_(ref.start.is_(None), ref.start <= now)
        clause = and_(active, started, or_(ref.end.is_(None), ref.end >= now))
    elif condition.op in {"$disabled", "$is_not"}:
        clause = ref.expr.is_(false())
    else:  # $enabled, $is
        clause = active
    return clause if wanted else not_(clause)


def _sqlite_path(path: Sequence[str]) -> str:
    return "$" + "".join(f'."{key}"' for key in path)


def _json_text(ref: FieldRef, dialect: Dialect) -> Any:
    if dialect.name == "postgresql":
        return func.jsonb_extract_path_text(ref.expr, *ref.path, type_=String)
    path = _sqlite_path(ref.path)
    kind = func.json_type(ref.expr, path)
    return case(
        (kind == "true", "true"),
        (kind == "false", "false"),
        else_=cast(func.json_extract(ref.expr, path), String),
    )


def _json_number(ref: FieldRef, dialect: Dialect) -> Any:
    if dialect.name == "postgresql":
        value = func.jsonb_extract_path(ref.expr, *ref.path)
        text = func.jsonb_extract_path_text(ref.expr, *ref.path, type_=String)
        return case((func.jsonb_typeof(value) == "number", cast(text, Float)), else_=None)
    path = _sqlite_path(ref.path)
    kind = func.json_type(ref.expr, path)
    return case((kind.in_(["integer", "real"]), cast(func.json_extract(ref.expr, path), Float)))
