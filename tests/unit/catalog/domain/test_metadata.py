"""Metadata against a metadata schema (pure checks)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openvoucher.catalog.domain.metadata import Defined, object_types, typed_text, violations


def schema(allow_defined_only: bool = False, **properties: dict[str, Any]) -> Defined:
    """A schema's definitions."""
    return Defined(properties, allow_defined_only)


def test_types_accept_their_values() -> None:
    """Each type accepts a well-formed value."""
    checked = schema(
        s={"type": "string"},
        n={"type": "number"},
        b={"type": "boolean"},
        d={"type": "date"},
        dt={"type": "datetime"},
        img={"type": "image_url"},
        geo={"type": "geopoint"},
    )
    good = {
        "s": "x",
        "n": 2.5,
        "b": False,
        "d": "2024-02-29",
        "dt": "2024-02-09T11:11:11.111Z",
        "img": "https://img.example/a.png",
        "geo": "37.786971, -122.399677",
    }
    assert violations(good, checked, {}) == []


def test_types_reject_other_values() -> None:
    """A value of another type is named with the property's path."""
    checked = schema(
        n={"type": "number"},
        b={"type": "boolean"},
        d={"type": "date"},
        dt={"type": "datetime"},
        img={"type": "image_url"},
        geo={"type": "geopoint"},
    )
    bad = {
        "n": True,
        "b": "true",
        "d": "2024-02-30",
        "dt": "yesterday",
        "img": "ftp://x",
        "geo": "91, 0",
    }
    assert violations(bad, checked, {}) == [
        "metadata.n must be a number",
        "metadata.b must be a boolean",
        "metadata.d must be a date (YYYY-MM-DD)",
        "metadata.dt must be an ISO 8601 date and time",
        "metadata.img must be an http(s) URL",
        "metadata.geo must be a geopoint within latitude ±90 and longitude ±180",
    ]


def test_string_constraints() -> None:
    """Lengths and the allowed values of a string are enforced."""
    checked = schema(
        code={"type": "string", "exact_length": 3},
        name={"type": "string", "min_length": 2, "max_length": 4},
        tier={"type": "string", "eq": ["gold", "silver"]},
    )
    assert violations({"code": "abc", "name": "ab", "tier": "gold"}, checked, {}) == []
    assert violations({"code": "ab", "name": "abcde", "tier": "bronze"}, checked, {}) == [
        "metadata.code must be exactly 3 characters long",
        "metadata.name must be at most 4 characters long",
        "metadata.tier must be one of gold, silver",
    ]
    assert violations({"name": "a"}, checked, {}) == [
        "metadata.name must be at least 2 characters long"
    ]


def test_number_constraints() -> None:
    """Bounds, allowed and forbidden values of a number are enforced."""
    checked = schema(
        age={"type": "number", "gte": 18, "lt": 120},
        size={"type": "number", "eq": [1, 2.5]},
        lucky={"type": "number", "ne": [13]},
    )
    assert violations({"age": 18, "size": 2.5, "lucky": 7}, checked, {}) == []
    assert violations({"age": 17, "size": 3, "lucky": 13}, checked, {}) == [
        "metadata.age must be greater than or equal to 18",
        "metadata.size must be one of 1, 2.5",
        "metadata.lucky must not be 13",
    ]
    assert violations({"age": 120}, checked, {}) == ["metadata.age must be less than 120"]


def test_required_arrays_and_defined_only() -> None:
    """Required keys must be present and not null; arrays check every element; undefined
    keys are refused only under allow_defined_only; deleted definitions count as undefined."""
    checked = schema(
        True,
        sku={"type": "string", "optional": False},
        tags={"type": "string", "array": True, "max_length": 3},
        old={"type": "number", "deleted": True},
    )
    assert violations({"sku": "a", "tags": ["x", "y"]}, checked, {}) == []
    assert violations({"sku": None, "tags": "x", "old": 1, "extra": 2}, checked, {}) == [
        "metadata.sku is required",
        "metadata.tags must be an array",
        "metadata.old is not defined in the metadata schema",
        "metadata.extra is not defined in the metadata schema",
    ]
    assert violations({"sku": "a", "tags": ["ok", "long"]}, checked, {}) == [
        "metadata.tags[1] must be at most 3 characters long"
    ]
    assert (
        violations({"sku": "a", "extra": 1}, replace(checked, allow_defined_only=False), {}) == []
    )


def test_objects_follow_their_nested_schema() -> None:
    """An object value is checked against the nested schema its object_type names."""
    checked = schema(payment={"type": "object", "object_type": "payment"})
    nested = {"payment": schema(True, method={"type": "string", "eq": ["card", "wire"]})}
    assert object_types(checked) == {"payment"}
    assert violations({"payment": {"method": "card"}}, checked, nested) == []
    assert violations({"payment": {"method": "cash", "x": 1}}, checked, nested) == [
        "metadata.payment.method must be one of card, wire",
        "metadata.payment.x is not defined in the metadata schema",
    ]
    assert violations({"payment": "card"}, checked, nested) == [
        "metadata.payment must be an object"
    ]


def test_csv_text_is_typed_by_the_schema() -> None:
    """Numbers and booleans defined as such are parsed; other text stays as it is."""
    checked = schema(n={"type": "number"}, f={"type": "number"}, b={"type": "boolean"})
    typed = typed_text({"n": "12", "f": "2.50", "b": "TRUE", "x": "7", "bad": "nan"}, checked)
    assert typed == {"n": 12, "f": 2.5, "b": True, "x": "7", "bad": "nan"}
    assert typed_text({"n": "inf", "b": "yes"}, checked) == {"n": "inf", "b": "yes"}
