"""Hypothesis strategies for request bodies, built from the server's own msgspec schemas.

Values are mostly of the declared type, drawn to probe edges: strings with NUL and other
odd characters or the names of existing resources, integers at and beyond the 64-bit range,
metadata of any JSON, dates that parse and dates that do not.
"""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import strategies as st

KNOWN = ["FUZZ-1", "fuzz-customer", "fuzz-product", "Fuzz campaign", "PERCENT", "AMOUNT"]
"""Identifiers of resources the fuzz tests create first, and common enum-like words."""

DATES = ["2026-01-01T00:00:00Z", "2026-13-45", "1999-12-31", "not a date", ""]

INTS = [0, -1, 1, 100, 10_000, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**20]

_json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6) | st.sampled_from(INTS),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
json_values = st.recursive(
    _json_leaf,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
"""Any JSON value (small)."""


def strategy(kind: Any) -> st.SearchStrategy[Any]:
    """Values for a msgspec type (a Struct class or any annotation)."""
    return _for(msgspec.inspect.type_info(kind), 0)


def _for(info: msgspec.inspect.Type, depth: int) -> st.SearchStrategy[Any]:
    handler = _HANDLERS.get(type(info))
    if handler is None:
        return json_values
    return handler(info, depth)


def _struct(info: Any, depth: int) -> st.SearchStrategy[Any]:
    if depth > 3:
        return st.just({})
    required = {f.encode_name: _for(f.type, depth + 1) for f in info.fields if f.required}
    optional = {f.encode_name: _for(f.type, depth + 1) for f in info.fields if not f.required}
    return st.fixed_dictionaries(required, optional=optional)


def _union(info: Any, depth: int) -> st.SearchStrategy[Any]:
    return st.one_of(*[_for(t, depth) for t in info.types])


def _text(info: Any, _depth: int) -> st.SearchStrategy[Any]:
    hostile = st.text(max_size=24) | st.sampled_from(["a\x00b", "\x00", "x" * 400, "💳", " "])
    return st.sampled_from(KNOWN) | st.sampled_from(DATES) | hostile


def _int(info: Any, _depth: int) -> st.SearchStrategy[Any]:
    return st.integers(-5, 20_000) | st.sampled_from(INTS)


def _float(info: Any, _depth: int) -> st.SearchStrategy[Any]:
    return st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([0.0, 1e300])


def _list(info: Any, depth: int) -> st.SearchStrategy[Any]:
    return st.lists(_for(info.item_type, depth + 1), max_size=3)


def _dict(info: Any, depth: int) -> st.SearchStrategy[Any]:
    return st.dictionaries(st.text(max_size=10) | st.just("a\x00"), json_values, max_size=4)


_HANDLERS: dict[type, Any] = {
    msgspec.inspect.StructType: _struct,
    msgspec.inspect.UnionType: _union,
    msgspec.inspect.StrType: _text,
    msgspec.inspect.IntType: _int,
    msgspec.inspect.FloatType: _float,
    msgspec.inspect.BoolType: lambda _i, _d: st.booleans(),
    msgspec.inspect.NoneType: lambda _i, _d: st.none(),
    msgspec.inspect.LiteralType: lambda i, _d: st.sampled_from(list(i.values)),
    msgspec.inspect.ListType: _list,
    msgspec.inspect.DictType: _dict,
    msgspec.inspect.AnyType: lambda _i, _d: json_values,
}
