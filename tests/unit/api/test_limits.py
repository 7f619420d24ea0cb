"""The edge's input limits on raw bodies (pure)."""

from __future__ import annotations

import pytest

from openvoucher.api.limits import MAX_DEPTH, MAX_KEY, check_body, check_params
from openvoucher.kernel.errors import InvalidPayload


def deep(depth: int) -> bytes:
    """An object nested ``depth`` levels under ``metadata``."""
    return b'{"metadata": ' + b'{"k":' * depth + b"1" + b"}" * depth + b"}"


def test_brackets_inside_strings_do_not_count() -> None:
    """Brackets and escaped quotes inside strings are not nesting."""
    text = b'"' + b"[{" * 100 + b'\\"' + b"}]" * 100 + b'"'
    check_body(b'{"note": ' + text + b"}")


def test_depth_refusal_names_the_path() -> None:
    """One level over the limit is refused, naming the keys down to it."""
    check_body(deep(MAX_DEPTH - 1))
    with pytest.raises(InvalidPayload) as caught:
        check_body(deep(MAX_DEPTH))
    assert caught.value.details.startswith("'metadata.k.k")


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": 18446744073709551616}',
        b'{"a": -9223372036854775809}',
        b'{"a": "x\\u0000"}',
        b'{"' + b"k" * (MAX_KEY + 1) + b'": 1}',
        b'{"' + b'\\"' * (MAX_KEY + 1) + b'": 1}',
    ],
)
def test_suspects_are_walked_and_refused(raw: bytes) -> None:
    """Out-of-range integers, NUL, over-long keys (escaped quotes too) are refused."""
    with pytest.raises(InvalidPayload):
        check_body(raw)


def test_ordinary_bodies_and_csv_pass() -> None:
    """A plain body, a 64-bit integer and a CSV body pass."""
    check_body(b'{"amount": 9223372036854775807, "note": "1e10"}')
    check_body(b"code,amount\nA,1\n")


def test_json_query_parameter_depth() -> None:
    """A JSON query parameter nested too deep is refused by name."""
    with pytest.raises(InvalidPayload) as caught:
        check_params({}, [("filters", "[" * 40 + "]" * 40)])
    assert caught.value.details.startswith("'filters")
