"""Location shapes: a circle (``geo:lat,lng`` centre and a radius in km or m) or a GeoJSON
Polygon / MultiPolygon of ``[longitude, latitude]`` positions. Pure: checks a shape as a
client sends it and returns it in the stored (and rendered) form, or raises InvalidPayload.
"""

from __future__ import annotations

import math
import re
from typing import Any

from openvoucher.kernel.errors import InvalidPayload

MAX_POSITIONS = 10_000
"""Positions a polygon shape may hold in all its rings."""
MAX_RADIUS_KM = 20_038.0
"""Half the Earth's circumference: no circle on the globe is wider."""
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_CENTER = re.compile(rf"^geo:\s*({_NUMBER})\s*,\s*({_NUMBER})$")
_RADIUS = re.compile(rf"^({_NUMBER})\s*(km|m)$")
_POLYGON_TYPES = {"Polygon", "MultiPolygon"}


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", details)


def checked_shape(shape: Any) -> dict[str, Any]:
    """The stored form of a ``shape`` (``format`` filled in from ``type``), or a 400."""
    if not isinstance(shape, dict):
        raise _invalid("shape must be an object with type circle or polygon")
    kind = shape.get("type")
    if kind == "circle":
        _expect_format(shape, "distance")
        return {"type": "circle", "format": "distance", "distance": _distance(shape)}
    if kind == "polygon":
        _expect_format(shape, "geojson")
        return {"type": "polygon", "format": "geojson", "geojson": _geojson(shape.get("geojson"))}
    raise _invalid("shape.type must be circle or polygon")


def _expect_format(shape: dict[str, Any], wanted: str) -> None:
    given = shape.get("format")
    if given is not None and given != wanted:
        raise _invalid(f"shape.format of a {shape['type']} must be {wanted}")


def _distance(shape: dict[str, Any]) -> dict[str, str]:
    distance = shape.get("distance")
    if not isinstance(distance, dict):
        raise _invalid("shape.distance with center and radius is required for a circle")
    return {"center": _center(distance.get("center")), "radius": _radius(distance.get("radius"))}


def _center(raw: Any) -> str:
    found = _CENTER.match(raw.strip()) if isinstance(raw, str) else None
    if found is None:
        raise _invalid("shape.distance.center must be 'geo:<latitude>,<longitude>'")
    lat, lng = found.group(1), found.group(2)
    _check_lat_lng(float(lat), float(lng), "shape.distance.center")
    return f"geo:{lat},{lng}"


def _radius(raw: Any) -> str:
    found = _RADIUS.match(raw.strip()) if isinstance(raw, str) else None
    if found is None:
        raise _invalid("shape.distance.radius must be a distance such as '1.5 km' or '300 m'")
    number, unit = found.group(1), found.group(2)
    km = float(number) / (1000 if unit == "m" else 1)
    if not 0 < km <= MAX_RADIUS_KM:
        raise _invalid(f"shape.distance.radius must be above 0 and at most {MAX_RADIUS_KM:g} km")
    return f"{number} {unit}"


def _check_lat_lng(lat: float, lng: float, where: str) -> None:
    if not -90 <= lat <= 90:
        raise _invalid(f"{where}: latitude must be between -90 and 90")
    if not -180 <= lng <= 180:
        raise _invalid(f"{where}: longitude must be between -180 and 180")


def _geojson(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("type", "Polygon") not in _POLYGON_TYPES:
        raise _invalid("shape.geojson must be a GeoJSON Polygon or MultiPolygon")
    kind = raw.get("type", "Polygon")
    coordinates = raw.get("coordinates")
    if kind == "Polygon":
        rings = _polygon(coordinates, "shape.geojson.coordinates")
        polygons = [rings]
    else:
        polygons = [
            _polygon(p, f"shape.geojson.coordinates[{n}]")
            for n, p in enumerate(_non_empty_list(coordinates, "shape.geojson.coordinates"))
        ]
    if sum(len(ring) for rings in polygons for ring in rings) > MAX_POSITIONS:
        raise _invalid(f"shape.geojson holds at most {MAX_POSITIONS} positions")
    return {"type": kind, "coordinates": polygons[0] if kind == "Polygon" else polygons}


def _non_empty_list(raw: Any, where: str) -> list[Any]:
    if not isinstance(raw, list) or not raw:
        raise _invalid(f"{where} must be a non-empty array")
    return raw


def _polygon(raw: Any, where: str) -> list[list[list[float]]]:
    """A polygon's rings (the outline, then any holes), each closed."""
    return [_ring(ring, f"{where}[{n}]") for n, ring in enumerate(_non_empty_list(raw, where))]


def _ring(raw: Any, where: str) -> list[list[float]]:
    """At least 3 distinct positions; the first is repeated at the end when it is not."""
    positions = [_position(p, f"{where}[{n}]") for n, p in enumerate(_non_empty_list(raw, where))]
    if len({tuple(p) for p in positions}) < 3:
        raise _invalid(f"{where} must hold at least 3 distinct positions")
    if positions[0] != positions[-1]:
        positions.append(list(positions[0]))
    return positions


def _position(raw: Any, where: str) -> list[float]:
    """``[longitude, latitude]`` as GeoJSON orders them."""
    if not isinstance(raw, list) or len(raw) != 2 or not all(_is_number(v) for v in raw):
        raise _invalid(f"{where} must be [longitude, latitude]")
    lng, lat = raw
    _check_lat_lng(float(lat), float(lng), where)
    return [lng, lat]


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )
