"""Categories through HTTP and through the official SDK."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
import voucherify
from voucherify.api.categories_api import CategoriesApi
from voucherify.models.categories_create_request_body import CategoriesCreateRequestBody
from voucherify.models.categories_update_request_body import CategoriesUpdateRequestBody

from openvoucher.catalog import categories
from openvoucher.catalog.model import CategoryFields
from tests.support.server import Project, RunningServer, new_project


def test_sdk_creates_lists_updates_and_deletes(sdk: voucherify.ApiClient) -> None:
    """The official SDK parses every category response."""
    api = CategoriesApi(sdk)
    created = api.create_category(CategoriesCreateRequestBody(name="Premium", hierarchy=2))
    assert created.id.startswith("cat_")
    assert (created.name, created.hierarchy, created.object) == ("Premium", 2, "category")
    fetched = api.get_category(created.id)
    assert fetched.name == "Premium"
    assert fetched.updated_at is None
    updated = api.update_category(created.id, CategoriesUpdateRequestBody(hierarchy=5))
    assert (updated.name, updated.hierarchy) == ("Premium", 5)
    assert updated.updated_at is not None
    listed = api.list_categories()
    assert listed.total == 1
    assert [c.id for c in listed.data] == [created.id]
    api.delete_category(created.id)
    assert api.list_categories().total == 0


def test_create_shape(http: httpx.Client) -> None:
    """The create response has id, name, hierarchy, created_at and object, no updated_at."""
    body = http.post("/v1/categories", json={"name": "First", "hierarchy": 1}).json()
    assert list(body) == ["id", "name", "hierarchy", "created_at", "object"]
    assert body["created_at"].endswith("Z")
    assert body["object"] == "category"


def test_list_is_newest_first(server: RunningServer, http: httpx.Client) -> None:
    """The list holds every category, the most recently created first."""
    ids = []
    server.clock.freeze()
    try:
        for index in range(3):
            server.clock.set(datetime(2024, 1, index + 1, 10, tzinfo=UTC))
            created = http.post("/v1/categories", json={"name": f"c{index}", "hierarchy": index})
            ids.append(created.json()["id"])
    finally:
        server.clock.unfreeze()
        server.clock.set(datetime.now(UTC))
    body = http.get("/v1/categories").json()
    assert (body["object"], body["data_ref"], body["total"]) == ("list", "data", 3)
    assert [c["id"] for c in body["data"]] == ids[::-1]
    assert body["data"][0]["created_at"] == "2024-01-03T10:00:00.000Z"


def test_update_renames_and_keeps_absent_fields(http: httpx.Client) -> None:
    """PUT changes the given fields, keeps the others and sets updated_at."""
    created = http.post("/v1/categories", json={"name": "Old", "hierarchy": 3}).json()
    response = http.put(f"/v1/categories/{created['id']}", json={"name": "New"})
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["hierarchy"], body["created_at"]) == (
        "New",
        3,
        created["created_at"],
    )
    assert body["updated_at"] is not None
    again = http.put(f"/v1/categories/{created['id']}", json={"name": "New", "hierarchy": None})
    assert again.json()["hierarchy"] == 3
    assert http.get(f"/v1/categories/{created['id']}").json()["name"] == "New"


def test_duplicate_name_is_409(http: httpx.Client) -> None:
    """A name already taken in the project is 409 duplicate_found, on create and on rename."""
    http.post("/v1/categories", json={"name": "Taken", "hierarchy": 1})
    other = http.post("/v1/categories", json={"name": "Other", "hierarchy": 1}).json()
    duplicate = http.post("/v1/categories", json={"name": "Taken", "hierarchy": 2})
    assert duplicate.status_code == 409
    assert duplicate.json()["key"] == "duplicate_found"
    rename = http.put(f"/v1/categories/{other['id']}", json={"name": "Taken"})
    assert rename.status_code == 409
    assert rename.json()["key"] == "duplicate_found"


def test_unknown_id_is_404(http: httpx.Client) -> None:
    """GET, PUT and DELETE of an unknown category are 404 not_found."""
    for method in ("GET", "PUT", "DELETE"):
        response = http.request(method, "/v1/categories/cat_nope", json={"name": "x"})
        assert response.status_code == 404
        body = response.json()
        assert (body["key"], body["resource_type"], body["resource_id"]) == (
            "not_found",
            "category",
            "cat_nope",
        )
        assert body["request_id"].startswith("v-")


def test_delete_then_get_is_404(http: httpx.Client) -> None:
    """A deleted category is gone and its name is free again."""
    created = http.post("/v1/categories", json={"name": "Gone", "hierarchy": 1}).json()
    assert http.delete(f"/v1/categories/{created['id']}").status_code == 204
    assert http.get(f"/v1/categories/{created['id']}").status_code == 404
    again = http.post("/v1/categories", json={"name": "Gone", "hierarchy": 1})
    assert again.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b"{}",
        b'{"hierarchy": 1}',
        b'{"name": "x"}',
        b'{"name": null, "hierarchy": 1}',
        b'{"name": "  ", "hierarchy": 1}',
        b'{"name": 5, "hierarchy": 1}',
        b'{"name": "x", "hierarchy": -1}',
        b'{"name": "x", "hierarchy": "1"}',
        b'{"name": "x", "hierarchy": true}',
        b'{"name": "x", "hierarchy": 1.5}',
        b'{"name": "x", "hierarchy": 99999999999}',
        b'{"name": "' + b"n" * 201 + b'", "hierarchy": 1}',
        b"[]",
        b"{bad",
    ],
)
def test_bad_create_input_is_400(http: httpx.Client, body: bytes) -> None:
    """Missing, mistyped, out-of-range and malformed input is 400 invalid_payload."""
    response = http.post(
        "/v1/categories", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    error = response.json()
    assert error["key"] == "invalid_payload"
    assert error["code"] == 400
    assert error["details"]


def test_bad_update_input_is_400(http: httpx.Client) -> None:
    """An empty name or a negative hierarchy on PUT is 400 and changes nothing."""
    created = http.post("/v1/categories", json={"name": "Keep", "hierarchy": 1}).json()
    for body in ({"name": ""}, {"hierarchy": -3}, {"name": ["x"]}):
        response = http.put(f"/v1/categories/{created['id']}", json=body)
        assert response.status_code == 400
        assert response.json()["key"] == "invalid_payload"
    assert http.get(f"/v1/categories/{created['id']}").json()["name"] == "Keep"


def test_projects_are_isolated(server: RunningServer, project: Project) -> None:
    """Categories and their names belong to one project."""
    other = new_project(server, "other")
    with project.client() as mine, other.client() as theirs:
        created = mine.post("/v1/categories", json={"name": "Same", "hierarchy": 1}).json()
        assert theirs.get(f"/v1/categories/{created['id']}").status_code == 404
        assert theirs.get("/v1/categories").json()["total"] == 0
        assert theirs.post("/v1/categories", json={"name": "Same", "hierarchy": 1}).is_success


def test_resolve_inside_a_transaction(server: RunningServer, project: Project) -> None:
    """Other use cases resolve a category by id or by name inside their own transaction."""
    uow = server.container.uow
    created = categories.create(uow, project.id, CategoryFields(name="Shared", hierarchy=4))
    with uow.read(project.id) as tx:
        assert categories.resolve(tx, created.id).name == "Shared"
        assert categories.resolve(tx, "Shared").id == created.id
        assert categories.find(tx, "missing") is None
        assert list(categories.by_ids(tx, [created.id, "cat_x"])) == [created.id]
        with pytest.raises(Exception, match="Resource not found"):
            categories.resolve(tx, "missing")
