"""Location shapes: what a circle or a polygon must hold, and the stored form."""

from __future__ import annotations

import re
from typing import Any

import pytest

from openvoucher.catalog.domain.locations import MAX_POSITIONS, checked_shape
from openvoucher.kernel.errors import InvalidPayload


def _refusal(shape: Any) -> str:
    """The details of the 400 ``checked_shape`` raises for ``shape``."""
    with pytest.raises(InvalidPayload) as refused:
        checked_shape(shape)
    return refused.value.details


def _polygon(coordinates: Any, kind: str = "Polygon") -> dict[str, Any]:
    return {"type": "polygon", "geojson": {"type": kind, "coordinates": coordinates}}


def test_circle_keeps_the_numbers_as_written() -> None:
    """A circle's centre and radius keep their digits; spaces go, ``format`` is filled in."""
    shape = {"type": "circle", "distance": {"center": " geo:-33.8688, 151.2093 ", "radius": "12 m"}}
    assert checked_shape(shape) == {
        "type": "circle",
        "format": "distance",
        "distance": {"center": "geo:-33.8688,151.2093", "radius": "12 m"},
    }


@pytest.mark.parametrize(
    ("radius", "accepted"),
    [
        ("20038 km", True),
        ("20038001 m", False),
        ("0.001 m", True),
        ("0 m", False),
        ("1e3 km", False),
    ],
)
def test_radius_bounds(radius: str, accepted: bool) -> None:
    """The radius is above zero and at most half the Earth's circumference."""
    shape = {"type": "circle", "distance": {"center": "geo:0,0", "radius": radius}}
    if accepted:
        assert checked_shape(shape)["distance"]["radius"] == radius
    else:
        assert "radius" in _refusal(shape)


def test_polygon_defaults_to_polygon_type_and_closes_rings() -> None:
    """A geojson without ``type`` is a Polygon; every ring (holes too) ends where it starts."""
    outer = [[0, 0], [10, 0], [10, 10], [0, 10]]
    hole = [[2, 2], [3, 2], [3, 3], [2, 2]]
    shape = checked_shape({"type": "polygon", "geojson": {"coordinates": [outer, hole]}})
    assert shape["geojson"] == {"type": "Polygon", "coordinates": [[*outer, [0, 0]], hole]}


@pytest.mark.parametrize(
    ("coordinates", "detail"),
    [
        ([[[0, 0], [1, 1]]], "at least 3 distinct"),
        ([[[0, 0], [1, 1], [0, 0], [1, 1]]], "at least 3 distinct"),
        ([[[0, 0], [1, 1], [2, float("nan")]]], r"\[longitude, latitude\]"),
        ([[[0, 0], [1, 1], [-180.5, 0]]], "longitude"),
        ([[[0, 0], [1, 1], [0, 90.1]]], "latitude"),
        ([], "non-empty"),
        ([[]], "non-empty"),
        ("0,0 1,1 2,2", "non-empty"),
    ],
)
def test_bad_polygons(coordinates: Any, detail: str) -> None:
    """Rings need 3 distinct finite ``[lng, lat]`` positions within range."""
    assert re.search(detail, _refusal(_polygon(coordinates)))


def test_positions_are_capped() -> None:
    """All rings of all polygons together hold at most MAX_POSITIONS positions."""
    ring = [[0, 0], [0, 1], [1, 1], [0, 0]]
    fits = _polygon([[ring]] * (MAX_POSITIONS // 4), "MultiPolygon")
    assert len(checked_shape(fits)["geojson"]["coordinates"]) == MAX_POSITIONS // 4
    assert "at most" in _refusal(_polygon([[ring]] * (MAX_POSITIONS // 4 + 1), "MultiPolygon"))


@pytest.mark.parametrize("shape", [None, [], "circle", {"type": "Circle"}, {}])
def test_shape_must_name_circle_or_polygon(shape: Any) -> None:
    """Only an object with type circle or polygon is a shape."""
    assert "shape" in _refusal(shape)
