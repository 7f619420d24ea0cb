"""Validation rules' building blocks: the ``logic`` expression and the ``conditions`` operators.

``logic`` combines numbered rules with ``and``, ``or`` and parentheses (``"(1 and 2) or 3"``;
case-insensitive; ``and`` binds tighter than ``or``). Conditions compare one value with the
operands of each operator; several operators in one rule must all hold.

Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openvoucher.kernel.errors import InvalidPayload

TOKEN = re.compile(r"\s*(\d+|and\b|or\b|\(|\))", re.IGNORECASE)


@dataclass(frozen=True)
class Node:
    """A parsed ``logic``: a rule number (``op`` = "rule") or ``and``/``or`` of parts."""

    op: str
    parts: tuple[Node, ...] = ()
    rule: str = ""

    def holds(self, results: Mapping[str, bool]) -> bool:
        """The expression's value given each rule's result."""
        if self.op == "rule":
            return results[self.rule]
        if self.op == "and":
            return all(part.holds(results) for part in self.parts)
        return any(part.holds(results) for part in self.parts)

    def rules(self) -> list[str]:
        """The rule numbers it names, left to right."""
        if self.op == "rule":
            return [self.rule]
        return [name for part in self.parts for name in part.rules()]


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", details)


def _tokens(logic: str) -> list[str]:
    found: list[str] = []
    position = 0
    text = logic.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            raise _invalid(f"rules.logic: cannot read '{text[position:].strip()}'")
        found.append(match.group(1).lower())
        position = match.end()
    return found


class _Parser:
    def __init__(self, tokens: list[str], known: set[str]) -> None:
        self.tokens = tokens
        self.known = known
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise _invalid("rules.logic ends too early")
        self.at += 1
        return token

    def expression(self, op: str = "or") -> Node:
        inner = "and" if op == "or" else None
        parts = [self.expression(inner) if inner else self.operand()]
        while self.peek() == op:
            self.take()
            parts.append(self.expression(inner) if inner else self.operand())
        return parts[0] if len(parts) == 1 else Node(op, tuple(parts))

    def operand(self) -> Node:
        token = self.take()
        if token == "(":
            node = self.expression()
            if self.peek() != ")":
                raise _invalid("rules.logic: missing ')'")
            self.take()
            return node
        if not token.isdigit():
            raise _invalid(f"rules.logic: expected a rule number, found '{token}'")
        if token not in self.known:
            raise _invalid(f"rules.logic names rule {token}, which is not defined")
        return Node("rule", rule=token)


def parse_logic(logic: str, known: Sequence[str]) -> Node:
    """The parsed ``logic`` over the rule numbers ``known``; a bad expression is a 400."""
    parser = _Parser(_tokens(logic), set(known))
    node = parser.expression()
    if parser.peek() is not None:
        raise _invalid(f"rules.logic: unexpected '{parser.peek()}'")
    return node


def default_logic(known: Sequence[str]) -> str:
    """Every rule must hold: ``"1 and 2 and …"``."""
    return " and ".join(sorted(known, key=int))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _compare(check: Callable[[float, float], bool]) -> Callable[[Any, list[Any]], bool]:
    def compare(value: Any, operands: list[Any]) -> bool:
        left = _number(value)
        right = _number(operands[0]) if operands else None
        return left is not None and right is not None and check(left, right)

    return compare


def _text(check: Callable[[str, str], bool]) -> Callable[[Any, list[Any]], bool]:
    def compare(value: Any, operands: list[Any]) -> bool:
        if not isinstance(value, str):
            return False
        return any(isinstance(o, str) and check(value, o) for o in operands)

    return compare


def _equal(value: Any, operand: Any) -> bool:
    if isinstance(operand, Mapping):
        operand = operand.get("id")
    left, right = _number(value), _number(operand)
    if left is not None and right is not None:
        return left == right
    return bool(value == operand)


def _is(value: Any, operands: list[Any]) -> bool:
    return any(_equal(value, operand) for operand in operands)


OPERATORS: dict[str, Callable[[Any, list[Any]], bool]] = {
    "$is": _is,
    "$in": _is,
    "$is_not": lambda value, operands: not _is(value, operands),
    "$not_in": lambda value, operands: not _is(value, operands),
    "$more_than": _compare(lambda a, b: a > b),
    "$more_than_or_equal": _compare(lambda a, b: a >= b),
    "$more_than_equal": _compare(lambda a, b: a >= b),
    "$greater_than_or_equal": _compare(lambda a, b: a >= b),
    "$less_than": _compare(lambda a, b: a < b),
    "$less_than_or_equal": _compare(lambda a, b: a <= b),
    "$less_than_equal": _compare(lambda a, b: a <= b),
    "$starts_with": _text(str.startswith),
    "$ends_with": _text(str.endswith),
    "$contains": _text(lambda a, b: b in a),
    "$not_contain": lambda value, operands: not _text(lambda a, b: b in a)(value, operands),
    "$has_value": lambda value, _: value is not None and value != "",
    "$is_unknown": lambda value, _: value is None or value == "",
}
"""Operator → ``(value, operands) → bool``."""


def check_conditions(conditions: Any, where: str) -> dict[str, list[Any]]:
    """``conditions`` as ``{operator: [operands]}``; unknown operators are a 400."""
    if not isinstance(conditions, Mapping) or not conditions:
        raise _invalid(f"{where}.conditions must be an object with at least one operator")
    checked: dict[str, list[Any]] = {}
    for operator, given in conditions.items():
        if operator not in OPERATORS:
            raise _invalid(f"{where}.conditions: operator {operator} is not supported")
        checked[operator] = list(given) if isinstance(given, list) else [given]
    return checked


def satisfied(value: Any, conditions: Mapping[str, list[Any]]) -> bool:
    """Whether ``value`` meets every operator of ``conditions``."""
    return all(OPERATORS[op](value, operands) for op, operands in conditions.items())
