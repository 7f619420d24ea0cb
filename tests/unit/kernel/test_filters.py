"""The list-filter query parser: keys, operators, kinds, values, junction and SDK quirks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from openvoucher.kernel.filters import Condition, FilterError, Filters, kind_of, parse

FIELDS = {
    "code": "string",
    "amount": "number",
    "created_at": "date",
    "is_referral_code": "boolean",
    "active": "voucher_state",
    "metadata.*": "json",
}


def test_single_condition_with_index() -> None:
    """filters[code][conditions][$is][0]=A becomes one string condition."""
    parsed = parse([("filters[code][conditions][$is][0]", "A")], FIELDS)
    assert parsed == Filters((Condition("code", "$is", ("A",), "string"),), "and")


def test_in_collects_indexed_values_and_junction() -> None:
    """$in values from [0], [1] and [] keys are gathered; junction OR is case-insensitive."""
    parsed = parse(
        [
            ("filters[code][conditions][$in][0]", "A"),
            ("filters[code][conditions][$in][1]", "B"),
            ("filters[code][conditions][$in][]", "C"),
            ("filters[junction]", "OR"),
        ],
        FIELDS,
    )
    assert parsed.conditions == (Condition("code", "$in", ("A", "B", "C"), "string"),)
    assert parsed.junction == "or"


def test_python_sdk_list_repr_and_none_noise() -> None:
    """The official Python SDK's ['A', 'B'] list text and its 'None' placeholders are read."""
    parsed = parse(
        [
            ("filters[code][conditions][$in]", "['A', 'B']"),
            ("filters[code][conditions][$is]", "None"),
            ("filters[user_login]", "None"),
            ("filters[junction]", "and"),
        ],
        FIELDS,
    )
    assert parsed.conditions == (Condition("code", "$in", ("A", "B"), "string"),)


def test_typed_values_per_kind() -> None:
    """Numbers, dates, booleans and relative days are converted for their kind."""
    parsed = parse(
        [
            ("filters[amount][conditions][$more_than_equal]", "1500"),
            ("filters[created_at][conditions][$after]", "2024-01-02T03:04:05 00:00"),
            ("filters[created_at][conditions][$more_than]", "7"),
            ("filters[is_referral_code][conditions][$is]", "false"),
            ("filters[metadata.level][conditions][$less_than]", "2.5"),
        ],
        FIELDS,
    )
    values = {(c.field, c.op): c.values for c in parsed.conditions}
    assert values[("amount", "$more_than_equal")] == (1500,)
    assert values[("created_at", "$after")] == (datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),)
    assert values[("created_at", "$more_than")] == (7,)
    assert values[("is_referral_code", "$is")] == (False,)
    assert values[("metadata.level", "$less_than")] == (2.5,)


def test_no_value_operators_drop_the_value() -> None:
    """$has_value and $is_unknown carry no value whatever the query sends."""
    parsed = parse([("filters[code][conditions][$is_unknown]", "")], FIELDS)
    assert parsed.conditions == (Condition("code", "$is_unknown", (), "string"),)


def test_json_object_form() -> None:
    """A filters parameter holding a JSON object is read like the bracket form."""
    raw = '{"code": {"conditions": {"$in": ["X", "Y"]}}, "junction": "or"}'
    parsed = parse([("filters", raw)], FIELDS)
    assert parsed == Filters((Condition("code", "$in", ("X", "Y"), "string"),), "or")


def test_wildcard_fields() -> None:
    """metadata.* admits nested keys; other fields do not match the pattern."""
    assert kind_of("metadata.a.b", FIELDS) == "json"
    assert kind_of("metadata", FIELDS) is None
    assert kind_of("other.a", FIELDS) is None


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("filters[nope][conditions][$is]", "x", "Filtering by nope is not supported"),
        ("filters[code][conditions][$more_than]", "x", "$more_than is not supported for code"),
        ("filters[amount][conditions][$is]", "ten", "must be a number"),
        ("filters[created_at][conditions][$after]", "yesterday", "ISO-8601"),
        ("filters[is_referral_code][conditions][$is]", "maybe", "true or false"),
        ("filters[junction]", "XOR", "AND or OR"),
        ("filters[code]", "A", "needs [conditions]"),
        ("filters[code][conds][$is]", "A", "is not of the form"),
        ("filters[metadata.x][conditions][$more_than]", "big", "must be a number"),
    ],
)
def test_bad_queries(key: str, value: str, message: str) -> None:
    """Unknown fields, operators, malformed keys and ill-typed values are refused."""
    with pytest.raises(FilterError, match=message.replace("[", r"\[").replace("$", r"\$")):
        parse([(key, value)], FIELDS)


def test_single_value_operators_refuse_several() -> None:
    """A comparison takes exactly one value."""
    with pytest.raises(FilterError, match="takes one value"):
        parse(
            [
                ("filters[amount][conditions][$more_than][0]", "1"),
                ("filters[amount][conditions][$more_than][1]", "2"),
            ],
            FIELDS,
        )


def test_other_query_parameters_are_ignored() -> None:
    """Only filters[...] keys are read."""
    assert not parse([("limit", "10"), ("code", "X")], FIELDS)
