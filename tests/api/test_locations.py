"""Locations: created and deleted through our extension, read through the official SDK's
``LocationsApi`` (list with paging, order, filters and ``end_date``; get; 404), shapes checked
strictly (400) and kept per project."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import voucherify
from voucherify.api.locations_api import LocationsApi
from voucherify.exceptions import NotFoundException
from voucherify.models.parameter_filters_list_locations import ParameterFiltersListLocations
from voucherify.models.parameter_order_list_locations import ParameterOrderListLocations

from tests.api.loyalty_helpers import ok
from tests.api.test_oauth import bearer, token
from tests.support.server import Project, RunningServer, new_project

CIRCLE = {
    "type": "circle",
    "format": "distance",
    "distance": {"center": "geo:40.79372699823857,-74.15092132694554", "radius": "1.54 km"},
}
RING = [[18.55, 50.55], [18.52, 51.08], [19.59, 50.83], [18.55, 50.55]]
POLYGON = {
    "type": "polygon",
    "format": "geojson",
    "geojson": {"type": "Polygon", "coordinates": [RING]},
}


def _create(http: httpx.Client, name: str, shape: dict[str, Any]) -> dict[str, Any]:
    created: dict[str, Any] = ok(http.post("/v1/locations", json={"name": name, "shape": shape}))
    return created


def _dated(http: httpx.Client, server: RunningServer, names: list[str]) -> list[str]:
    """One circle per name, created on consecutive days of March 2024; their ids."""
    ids = []
    server.clock.freeze()
    try:
        for day, name in enumerate(names):
            server.clock.set(datetime(2024, 3, day + 1, 12, tzinfo=UTC))
            ids.append(_create(http, name, CIRCLE)["id"])
    finally:
        server.clock.unfreeze()
        server.clock.set(datetime.now(UTC))
    return ids


def test_create_then_read_through_the_sdk(http: httpx.Client, sdk: voucherify.ApiClient) -> None:
    """A circle created by the extension reads back in the SDK as the spec shows it."""
    circle = _create(http, "Belleville", CIRCLE)
    assert circle["id"].startswith("loc_")
    assert list(circle) == ["id", "object", "name", "shape", "created_at", "updated_at"]
    assert (circle["object"], circle["shape"], circle["updated_at"]) == ("location", CIRCLE, None)
    api = LocationsApi(sdk)
    got = api.get_location(circle["id"])
    assert (got.id, got.name, got.object) == (circle["id"], "Belleville", "location")
    assert (got.shape.type, got.shape.format) == ("circle", "distance")
    assert got.shape.distance.radius == "1.54 km"
    assert got.shape.distance.center == CIRCLE["distance"]["center"]
    assert got.created_at.isoformat().startswith(circle["created_at"][:19])
    listed = api.list_locations()
    assert (listed.object, listed.data_ref, listed.total, listed.has_more) == (
        "list",
        "data",
        1,
        False,
    )
    assert [(loc.id, loc.shape.distance.radius) for loc in listed.data] == [
        (circle["id"], "1.54 km")
    ]


def test_polygons_as_the_spec_shows_them(http: httpx.Client, sdk: voucherify.ApiClient) -> None:
    """A polygon is stored and rendered as GeoJSON (``[[[lng, lat], …]]``), as the spec's
    example; the SDK's generated model (integer pairs) cannot parse it, so its raw reply is read."""
    polygon = _create(http, "Poland", {**POLYGON, "format": None})
    assert polygon["shape"] == POLYGON
    raw = LocationsApi(sdk).get_location_without_preload_content(polygon["id"])
    assert (raw.status, raw.json()) == (200, polygon)
    listed = ok(http.get("/v1/locations"))
    assert listed["data"] == [polygon]


def test_list_order_limit_end_date_and_filters(
    http: httpx.Client, sdk: voucherify.ApiClient, server: RunningServer
) -> None:
    """Newest first by default; ``limit`` sets ``has_more``; ``end_date`` bounds creation;
    ``filters`` on name and created_at narrow the list."""
    ids = _dated(http, server, ["Berlin", "Bern", "Paris"])
    api = LocationsApi(sdk)
    first = api.list_locations(limit=2)
    assert ([loc.id for loc in first.data], first.total, first.has_more) == (ids[:0:-1], 3, True)
    oldest = api.list_locations(order=ParameterOrderListLocations("created_at"))
    assert [loc.id for loc in oldest.data] == ids
    by_update = api.list_locations(order=ParameterOrderListLocations("-updated_at"))
    assert [loc.id for loc in by_update.data] == ids[::-1]
    bounded = api.list_locations(end_date=datetime(2024, 3, 2, 12, tzinfo=UTC))
    assert [loc.id for loc in bounded.data] == ids[1::-1]
    starts = ParameterFiltersListLocations.from_dict(
        {"name": {"conditions": {"$starts_with": "be"}}}
    )
    assert [loc.name for loc in api.list_locations(filters=starts).data] == ["Bern", "Berlin"]
    after = ParameterFiltersListLocations.from_dict(
        {"created_at": {"conditions": {"$after": "2024-03-01T13:00:00Z"}}}
    )
    assert api.list_locations(filters=after).total == 2
    page2 = ok(http.get("/v1/locations", params={"limit": 2, "page": 2}))
    assert ([loc["id"] for loc in page2["data"]], page2["has_more"]) == ([ids[0]], False)
    never = ok(
        http.get("/v1/locations", params={"filters[updated_at][conditions][$is_unknown]": ""})
    )
    assert never["total"] == 3


@pytest.mark.parametrize(
    "params",
    [
        {"order": "name"},
        {"limit": "0"},
        {"end_date": "yesterday"},
        {"filters[shape][conditions][$is]": "x"},
        {"filters[name][conditions][$after]": "2024-01-01"},
    ],
)
def test_bad_list_queries_are_400(http: httpx.Client, params: dict[str, str]) -> None:
    """Unknown orders, fields or operators and bad values are 400 ``invalid_query_params``."""
    response = http.get("/v1/locations", params=params)
    assert response.status_code == 400, response.text
    assert response.json()["key"] == "invalid_query_params"


def test_unknown_location_is_404(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Getting or deleting a location that does not exist is 404 ``not_found``."""
    with pytest.raises(NotFoundException):
        LocationsApi(sdk).get_location("loc_missing")
    response = http.delete("/v1/locations/loc_missing")
    assert response.status_code == 404
    assert response.json()["key"] == "not_found"


def test_delete_removes_the_location(http: httpx.Client) -> None:
    """A deleted location is gone from get and list."""
    created = _create(http, "Gone", CIRCLE)
    assert http.delete(f"/v1/locations/{created['id']}").status_code == 204
    assert http.get(f"/v1/locations/{created['id']}").status_code == 404
    assert ok(http.get("/v1/locations"))["total"] == 0


def _circle(center: Any = CIRCLE["distance"]["center"], radius: Any = "2 km") -> dict[str, Any]:
    return {"type": "circle", "distance": {"center": center, "radius": radius}}


def _polygon(*rings: Any, kind: str = "Polygon") -> dict[str, Any]:
    return {"type": "polygon", "geojson": {"type": kind, "coordinates": list(rings)}}


BAD_BODIES = [
    {"shape": CIRCLE},
    {"name": "  ", "shape": CIRCLE},
    {"name": "x" * 301, "shape": CIRCLE},
    {"name": "N"},
    {"name": "N", "shape": {"type": "square"}},
    {"name": "N", "shape": {**CIRCLE, "format": "geojson"}},
    {"name": "N", "shape": {"type": "circle"}},
    {"name": "N", "shape": _circle(radius=None)},
    {"name": "N", "shape": _circle(radius="2 miles")},
    {"name": "N", "shape": _circle(radius="0 km")},
    {"name": "N", "shape": _circle(radius="-1 m")},
    {"name": "N", "shape": _circle(radius=5)},
    {"name": "N", "shape": _circle(radius="30000 km")},
    {"name": "N", "shape": _circle(center="40.7,-74.1")},
    {"name": "N", "shape": _circle(center="geo:91,10")},
    {"name": "N", "shape": _circle(center="geo:10,181")},
    {"name": "N", "shape": _circle(center=None)},
    {"name": "N", "shape": {"type": "polygon"}},
    {"name": "N", "shape": _polygon()},
    {"name": "N", "shape": _polygon([[1, 1], [2, 2], [1, 1]])},
    {"name": "N", "shape": _polygon([[1, 1], [2, 2], [3, "x"]])},
    {"name": "N", "shape": _polygon([[1, 1], [2, 2], [3, True]])},
    {"name": "N", "shape": _polygon([[1, 1], [2, 2], [3, 3, 3]])},
    {"name": "N", "shape": _polygon([[1, 1], [2, 2], [200, 3]])},
    {"name": "N", "shape": _polygon([[1, 1], [2, 2], [3, -95]])},
    {"name": "N", "shape": _polygon(RING, kind="LineString")},
    {"name": "N", "shape": _polygon([RING, []], kind="MultiPolygon")},
    {"name": "N", "shape": _polygon([[[0, 0], [0, 1], [1, 1]]] * 3400, kind="MultiPolygon")},
]


@pytest.mark.parametrize("body", BAD_BODIES)
def test_bad_shapes_are_400(http: httpx.Client, body: dict[str, Any]) -> None:
    """A missing name, an unknown shape, a circle without a valid centre and radius or a
    polygon ring without 3 valid distinct points is 400 ``invalid_payload``; nothing stored."""
    response = http.post("/v1/locations", json=body)
    assert response.status_code == 400, response.text
    error = response.json()
    assert (error["code"], error["key"]) == (400, "invalid_payload")
    assert error["details"]
    assert ok(http.get("/v1/locations"))["total"] == 0


def test_open_rings_are_closed_and_multipolygons_kept(http: httpx.Client) -> None:
    """An open polygon ring is stored closed; a MultiPolygon keeps each polygon; metres and
    an unnamed format are accepted."""
    polygon = _create(http, "Open", _polygon([[1, 1], [2, 1], [2, 2]]))
    assert polygon["shape"]["geojson"]["coordinates"] == [[[1, 1], [2, 1], [2, 2], [1, 1]]]
    multi = _create(
        http, "Multi", _polygon([RING], [[[0, 0], [0, 1], [1, 1]]], kind="MultiPolygon")
    )
    assert multi["shape"]["geojson"] == {
        "type": "MultiPolygon",
        "coordinates": [[RING], [[[0, 0], [0, 1], [1, 1], [0, 0]]]],
    }
    circle = _create(http, "Near", _circle(center="geo: 52.5 , 13.4", radius="300 m"))
    assert circle["shape"] == {
        "type": "circle",
        "format": "distance",
        "distance": {"center": "geo:52.5,13.4", "radius": "300 m"},
    }


def test_projects_are_isolated(server: RunningServer, project: Project) -> None:
    """A project neither lists, reads nor deletes another project's locations."""
    other = new_project(server, "other")
    with project.client() as mine, other.client() as theirs:
        created = _create(mine, "Mine", CIRCLE)
        assert theirs.get(f"/v1/locations/{created['id']}").status_code == 404
        assert theirs.delete(f"/v1/locations/{created['id']}").status_code == 404
        assert ok(theirs.get("/v1/locations"))["total"] == 0
        assert ok(mine.get(f"/v1/locations/{created['id']}"))["name"] == "Mine"


def test_oauth_scope_locations(http: httpx.Client, project: Project) -> None:
    """A token scoped to ``locations`` reads them; one scoped to ``vouchers`` is 403."""
    created = _create(http, "Scoped", CIRCLE)
    with bearer(project, token(project, "locations")["access_token"]) as allowed:
        assert ok(allowed.get(f"/v1/locations/{created['id']}"))["name"] == "Scoped"
    with bearer(project, token(project, "vouchers")["access_token"]) as refused:
        assert refused.get("/v1/locations").status_code == 403
