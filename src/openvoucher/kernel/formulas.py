"""Evaluating dynamic formulas (see :mod:`formula_parser` for the syntax). Pure: no ``eval``.

Values are ``Decimal`` numbers, texts, dates, date-times, booleans and None (an operand the
request does not give). Money operands are in the currency's main unit, as the formula builder
shows them (``ORDER_AMOUNT`` of an order of 20000 is 200). Anything that cannot be computed —
a missing operand used in arithmetic or a comparison, a division by zero, a text where a number
is needed — makes the whole formula fall back (:func:`number` answers None), except inside
``DEFAULT_TO``, which takes its first argument that can be computed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from openvoucher.kernel.formula_parser import METADATA, FormulaError, Node, parse

MONEY = Decimal(100)
"""Minor units in one main currency unit."""
LARGEST = Decimal(10) ** 12
"""A result beyond this (either sign) is not used: the fallback applies."""


class Missing(Exception):
    """The formula cannot be computed with what the request gives."""


@dataclass(frozen=True)
class Env:
    """What a formula can read: bare operands by name, metadata by operand name, the clock."""

    now: datetime
    today: date
    operands: Mapping[str, Any] = field(default_factory=dict)
    metadata: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def _number(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    raise Missing


def _moment(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise Missing from None
    raise Missing


def _instant(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise Missing from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _when(left: Any, right: Any) -> tuple[Any, Any]:
    """Two dates to compare: instants when both have a time of day, else calendar days."""
    if isinstance(left, datetime) and isinstance(right, datetime):
        return _instant(left), _instant(right)
    return _moment(left), _moment(right)


def _plain(value: Any) -> Any:
    """A metadata or operand value as formulas see it (numbers as Decimal)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def _rounded(args: Sequence[Any], mode: str) -> Decimal:
    value = _number(args[0])
    places = int(_number(args[1])) if len(args) > 1 else 0
    if not -30 <= places <= 30:
        raise Missing
    return value.quantize(Decimal(1).scaleb(-places), rounding=mode)


def _pow(args: Sequence[Any]) -> Decimal:
    base, power = _number(args[0]), _number(args[1])
    if abs(power) > 100:
        raise Missing
    try:
        if power == power.to_integral_value():
            return base ** int(power)
        return Decimal(str(float(base) ** float(power)))
    except (ArithmeticError, ValueError, OverflowError):
        raise Missing from None


def _months(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


_DATE_PARTS: dict[str, Callable[[date, date], int]] = {
    "DAY_OF_MONTH": lambda day, _: day.day,
    "MONTH": lambda day, _: day.month,
    "YEAR": lambda day, _: day.year,
    "DAYS_SINCE": lambda day, today: (today - day).days,
    "DAYS_UNTIL": lambda day, today: (day - today).days,
    "MONTHS_SINCE": _months,
    "MONTHS_UNTIL": lambda day, today: _months(today, day),
    "YEARS_SINCE": lambda day, today: _months(day, today) // 12,
}
"""Date functions: (the date, today) → a number."""


NUMERIC: dict[str, Callable[[Sequence[Any]], Any]] = {
    "MIN": lambda args: min(_number(a) for a in args),
    "MAX": lambda args: max(_number(a) for a in args),
    "POW": _pow,
    "ROUND": lambda args: _rounded(args, ROUND_HALF_UP),
    "FLOOR": lambda args: _rounded(args, ROUND_FLOOR),
    "CEIL": lambda args: _rounded(args, ROUND_CEILING),
}


def _arithmetic(op: str, left: Any, right: Any) -> Decimal:
    a, b = _number(left), _number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        raise Missing
    return a / b if op == "/" else a % b


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, Decimal | int | float) or isinstance(right, Decimal | int | float):
        try:
            return _number(_plain(left)) == _number(_as_number(right))
        except Missing:
            return False
    return str(left) == str(right)


def _as_number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except ArithmeticError:
            return value
    return _plain(value)


def _members(right: Any) -> list[Any]:
    if isinstance(right, list | tuple):
        return list(right)
    if isinstance(right, str):
        return [part.strip() for part in right.split(",")]
    return [right]


def _compare(op: str, left: Any, right: Any) -> bool:
    if left is None or right is None:
        raise Missing
    if op in {"IN_ARRAY", "NOT_IN_ARRAY"}:
        found = any(_same(left, member) for member in _members(right))
        return found if op == "IN_ARRAY" else not found
    if op in {"DATE_IS", "DATE_IS_NOT", "IS_AFTER", "IS_BEFORE"}:
        a, b = _when(left, right)
        return bool({"DATE_IS": a == b, "DATE_IS_NOT": a != b, "IS_AFTER": a > b}.get(op, a < b))
    if op in {"is", "isNot", "contains", "startsWith", "endsWith"}:
        text, other = str(left), str(right)
        checks = {
            "is": text == other,
            "isNot": text != other,
            "contains": other in text,
            "startsWith": text.startswith(other),
        }
        return bool(checks.get(op, text.endswith(other)))
    if op in {"=", "!="}:
        return _same(left, right) == (op == "=")
    a, b = _ordered(left, right)
    return bool({">": a > b, "<": a < b, ">=": a >= b}.get(op, a <= b))


def _ordered(left: Any, right: Any) -> tuple[Any, Any]:
    if isinstance(left, date) or isinstance(right, date):
        return _when(left, right)
    return _number(_as_number(left)), _number(_as_number(right))


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise Missing


class _Evaluator:
    def __init__(self, env: Env) -> None:
        self.env = env

    def value(self, node: Node) -> Any:
        if node.kind in {"num", "text"}:
            return node.value
        if node.kind == "name":
            return self._operand(str(node.value))
        if node.kind == "neg":
            return -_number(self.value(node.args[0]))
        if node.kind == "op":
            return self._operator(node)
        return self._call(node)

    def _operand(self, name: str) -> Any:
        if name == "TODAY":
            return self.env.today
        if name == "NOW":
            return self.env.now
        return _plain(self.env.operands.get(name))

    def _operator(self, node: Node) -> Any:
        op = str(node.value)
        left = self.value(node.args[0])
        if op in {"AND", "OR"}:
            first = _truth(left)
            if first == (op == "OR"):
                return first
            return _truth(self.value(node.args[1]))
        right = self.value(node.args[1])
        if op in {"+", "-", "*", "/", "%"}:
            return _arithmetic(op, left, right)
        return _compare(op, left, right)

    def _call(self, node: Node) -> Any:
        name, args = str(node.value), node.args
        if name in METADATA:
            return _plain((self.env.metadata.get(name) or {}).get(str(args[0].value)))
        if name == "DATE_TIME":
            return _instant(args[0].value)
        if name == "DATE":
            return _moment(args[0].value)
        return self._logic(name, args)

    def _logic(self, name: str, args: Sequence[Node]) -> Any:
        if name == "IF":
            return self.value(args[1] if _truth(self.value(args[0])) else args[2])
        if name == "DEFAULT_TO":
            return self._default(args)
        if name == "SWITCH":
            return self._switch(args)
        values = [self.value(arg) for arg in args]
        if name in _DATE_PARTS:
            return Decimal(_DATE_PARTS[name](_moment(values[0]), self.env.today))
        return NUMERIC[name](values)

    def _default(self, args: Sequence[Node]) -> Any:
        for arg in args:
            try:
                found = self.value(arg)
            except Missing:
                continue
            if found is not None:
                return found
        raise Missing

    def _switch(self, args: Sequence[Node]) -> Any:
        subject = self.value(args[0])
        if subject is not None:
            for case in args[1].args:
                if _same(subject, self.value(case.args[0])):
                    return self.value(case.args[1])
        return self.value(args[2])


def evaluate(tree: Node, env: Env) -> Any:
    """The formula's value; :class:`Missing` when it cannot be computed."""
    return _Evaluator(env).value(tree)


def number(text: str, env: Env) -> Decimal | None:
    """The number a stored formula gives, or None (then the caller's fallback value applies)."""
    try:
        found = evaluate(parse(text), env)
        if not isinstance(found, Decimal) or not found.is_finite() or abs(found) > LARGEST:
            return None
        return found
    except (Missing, FormulaError, ArithmeticError):
        return None


def money(text: str, env: Env, fallback: int) -> int:
    """An amount formula in minor units (its result is in main units; half up, never
    negative); ``fallback`` (minor units) when it cannot be computed."""
    found = number(text, env)
    if found is None:
        return fallback
    return max(int((found * MONEY).quantize(Decimal(1), rounding=ROUND_HALF_UP)), 0)


def whole(text: str, env: Env, fallback: int) -> int:
    """A points or units formula rounded down to a whole number (never negative)."""
    found = number(text, env)
    if found is None:
        return fallback
    return max(int(found.to_integral_value(rounding=ROUND_FLOOR)), 0)


def percent(text: str, env: Env, fallback: float) -> float:
    """A percent formula, within 0–100."""
    found = number(text, env)
    if found is None:
        return fallback
    return float(min(max(found, Decimal(0)), Decimal(100)))
