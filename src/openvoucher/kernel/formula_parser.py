"""Dynamic formulas (Voucherify's formula builder syntax), parsed into a small tree. Pure.

Grammar, loosest binding first::

    expr    := and ("OR" and)*
    and     := compare ("AND" compare)*
    compare := sum (COMPARATOR sum)?          > < = >= <= != is isNot contains startsWith
                                              endsWith IN_ARRAY NOT_IN_ARRAY DATE_IS
                                              DATE_IS_NOT IS_AFTER IS_BEFORE
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "x" | "×" | "/" | "÷" | "%") unary)*
    unary   := "-" unary | primary
    primary := NUMBER | "text" | "(" expr ")" | NAME | NAME "(" arg (";" arg)* ")"

Arguments are separated by ``;``; ``SWITCH(subject; SWITCH_CASE(v; r) SWITCH_CASE(…); default)``
takes its cases side by side. Nothing is evaluated here (see :mod:`formulas`); the parser checks
names and argument counts, and bounds the text (:data:`MAX_LENGTH`), the nesting
(:data:`MAX_DEPTH`) and the size (:data:`MAX_NODES`). Errors name a 1-based position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MAX_LENGTH = 2000
MAX_DEPTH = 24
MAX_NODES = 400

COMPARATORS = frozenset(
    {">", "<", "=", ">=", "<=", "!=", "is", "isNot", "contains", "startsWith", "endsWith"}
    | {"IN_ARRAY", "NOT_IN_ARRAY", "DATE_IS", "DATE_IS_NOT", "IS_AFTER", "IS_BEFORE"}
)
MULTIPLY = {"*": "*", "x": "*", "×": "*", "/": "/", "÷": "/", "%": "%"}

_ITEMS = ("ORDER_ITEM", "CHEAPEST_ORDER_ITEM", "MOST_EXPENSIVE_ORDER_ITEM")
BARE = frozenset(
    {"ORDER_AMOUNT", "ORDER_ITEMS_QUANTITY", "ORDER_UNITS_QUANTITY", "TODAY", "NOW"}
    | {f"{p}_{f}" for p in _ITEMS for f in ("PRICE", "AMOUNT", "SUBTOTAL", "UNITS_QUANTITY")}
    | {"VOUCHER_REDEMPTION_QUANTITY", "VOUCHER_REDEEMED_QUANTITY", "VOUCHER_PUBLISH_COUNT"}
    | {"VOUCHER_START_DATE", "VOUCHER_EXPIRATION_DATE", "CUSTOMER_BIRTHDATE"}
    | {"PROMOTION_TIER_START_DATE", "PROMOTION_TIER_EXPIRATION_DATE"}
)
"""Operands written without brackets."""
METADATA = frozenset(
    {"ORDER_METADATA", "REDEEMABLE_METADATA", "CUSTOMER_METADATA", "REDEMPTION_METADATA"}
    | {"PUBLICATION_METADATA"}
    | {f"{p}_{f}" for p in _ITEMS for f in ("METADATA", "PRODUCT_METADATA")}
)
"""Operands taking one quoted key."""
FUNCTIONS: dict[str, tuple[int, int]] = {
    **dict.fromkeys(METADATA | {"DATE", "DATE_TIME"}, (1, 1)),
    **dict.fromkeys(("DAY_OF_MONTH", "MONTH", "YEAR"), (1, 1)),
    **dict.fromkeys(("DAYS_SINCE", "MONTHS_SINCE", "YEARS_SINCE"), (1, 1)),
    **dict.fromkeys(("DAYS_UNTIL", "MONTHS_UNTIL"), (1, 1)),
    "MIN": (2, 50),
    "MAX": (2, 50),
    "DEFAULT_TO": (2, 50),
    "POW": (2, 2),
    "ROUND": (1, 2),
    "FLOOR": (1, 2),
    "CEIL": (1, 2),
    "IF": (3, 3),
    "SWITCH": (3, 3),
    "SWITCH_CASE": (2, 2),
}
"""Functions and their (fewest, most) arguments."""


class FormulaError(ValueError):
    """A formula that cannot be used; ``position`` is 1-based (0: the whole text)."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} at position {position}" if position else message)
        self.position = position


@dataclass(frozen=True)
class Node:
    """One element of a parsed formula: ``kind`` is ``num``, ``text``, ``name``, ``call``,
    ``op``, ``neg`` or ``cases``; ``value`` the number, text, name or operator."""

    kind: str
    value: Decimal | str
    args: tuple[Node, ...] = ()
    position: int = 0


_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?|\.\d+)|(?P<text>\"[^\"]*\")|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>>=|<=|!=|[-+*/÷×%<>=();]))"
)


@dataclass(frozen=True)
class _Token:
    kind: str
    value: str
    position: int


def tokens(text: str) -> list[_Token]:
    """The formula's tokens, ending with an ``end`` token."""
    found: list[_Token] = []
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            return [*found, _Token("end", "", len(text) + 1)]
        match = _TOKEN.match(text, at)
        if match is None or match.lastgroup is None:
            raise FormulaError(f"unexpected character {text[at]!r}", at + 1)
        start = match.start(match.lastgroup)
        found.append(_Token(match.lastgroup, match.group(match.lastgroup), start + 1))
        at = match.end()


class _Parser:
    def __init__(self, text: str) -> None:
        self.items = tokens(text)
        self.at = 0
        self.depth = 0
        self.nodes = 0

    @property
    def token(self) -> _Token:
        return self.items[self.at]

    def take(self) -> _Token:
        token = self.items[self.at]
        self.at += 1
        return token

    def expect(self, value: str) -> None:
        if self.token.value != value or self.token.kind not in {"op"}:
            raise FormulaError(f"expected {value!r}, found {self._shown()}", self.token.position)
        self.take()

    def _shown(self) -> str:
        return "the end" if self.token.kind == "end" else repr(self.token.value)

    def node(self, kind: str, value: Decimal | str, args: tuple[Node, ...], position: int) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError(f"the formula has more than {MAX_NODES} elements", position)
        return Node(kind, value, args, position)

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"the formula nests deeper than {MAX_DEPTH}", self.token.position)
        try:
            return self._joined("OR", lambda: self._joined("AND", self.compare))
        finally:
            self.depth -= 1

    def _joined(self, word: str, part: object) -> Node:
        assert callable(part)
        left: Node = part()
        while self.token.kind == "name" and self.token.value == word:
            token = self.take()
            left = self.node("op", word, (left, part()), token.position)
        return left

    def compare(self) -> Node:
        left = self.sum()
        if self.token.value in COMPARATORS and self.token.kind in {"op", "name"}:
            token = self.take()
            left = self.node("op", token.value, (left, self.sum()), token.position)
        return left

    def sum(self) -> Node:
        left = self.product()
        while self.token.kind == "op" and self.token.value in {"+", "-"}:
            token = self.take()
            left = self.node("op", token.value, (left, self.product()), token.position)
        return left

    def product(self) -> Node:
        left = self.unary()
        while self.token.value in MULTIPLY and self.token.kind in {"op", "name"}:
            token = self.take()
            left = self.node("op", MULTIPLY[token.value], (left, self.unary()), token.position)
        return left

    def unary(self) -> Node:
        if self.token.kind == "op" and self.token.value == "-":
            token = self.take()
            return self.node("neg", "-", (self.unary(),), token.position)
        return self.primary()

    def primary(self) -> Node:
        token = self.token
        if token.kind == "num":
            self.take()
            try:
                return self.node("num", Decimal(token.value), (), token.position)
            except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
                raise FormulaError("not a number", token.position) from None
        if token.kind == "text":
            self.take()
            return self.node("text", token.value[1:-1], (), token.position)
        if token.kind == "op" and token.value == "(":
            self.take()
            inner = self.expression()
            self.expect(")")
            return inner
        if token.kind == "name":
            return self.named()
        raise FormulaError(f"expected a value, found {self._shown()}", token.position)

    def named(self, *, case: bool = False) -> Node:
        token = self.take()
        name = token.value
        if name == "SWITCH_CASE" and not case:
            raise FormulaError("SWITCH_CASE belongs inside SWITCH", token.position)
        if name in BARE:
            return self.node("name", name, (), token.position)
        if name not in FUNCTIONS:
            raise FormulaError(f"unknown operand or function {name!r}", token.position)
        self.expect("(")
        args = self.arguments(name)
        self.expect(")")
        fewest, most = FUNCTIONS[name]
        if not fewest <= len(args) <= most:
            raise FormulaError(f"{name} takes {_count(fewest, most)} arguments", token.position)
        if name in METADATA | {"DATE", "DATE_TIME"} and args[0].kind != "text":
            raise FormulaError(f"{name} takes a quoted text", args[0].position)
        if name == "SWITCH" and args[1].kind != "cases":
            raise FormulaError("SWITCH takes SWITCH_CASE(…) entries second", args[1].position)
        return self.node("call", name, tuple(args), token.position)

    def arguments(self, name: str) -> list[Node]:
        args = [self.argument(name, 0)]
        while self.token.kind == "op" and self.token.value == ";":
            self.take()
            args.append(self.argument(name, len(args)))
        return args

    def argument(self, name: str, index: int) -> Node:
        if name == "SWITCH" and index == 1:
            start = self.token.position
            cases = []
            while self.token.kind == "name" and self.token.value == "SWITCH_CASE":
                cases.append(self.named(case=True))
            if not cases:
                raise FormulaError("expected SWITCH_CASE(…)", start)
            return self.node("cases", "cases", tuple(cases), start)
        return self.expression()


def _count(fewest: int, most: int) -> str:
    return str(fewest) if fewest == most else f"{fewest} to {most}"


def parse(text: str) -> Node:
    """The formula's tree; :class:`FormulaError` naming the position when it does not parse
    or exceeds the bounds."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("the formula is empty", 0)
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_LENGTH} characters", MAX_LENGTH + 1)
    parser = _Parser(text)
    tree = parser.expression()
    if parser.token.kind != "end":
        raise FormulaError(f"unexpected {parser._shown()}", parser.token.position)
    return tree


def names(tree: Node) -> set[str]:
    """Every operand and function the formula uses."""
    found = {str(tree.value)} if tree.kind in {"name", "call"} else set()
    for arg in tree.args:
        found |= names(arg)
    return found
