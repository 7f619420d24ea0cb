"""Metadata schemas: management CRUD, the /v1 read endpoints, the official SDK, project deletion."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import voucherify
from voucherify.api.management_api import ManagementApi
from voucherify.api.metadata_schemas_api import MetadataSchemasApi
from voucherify.models.management_projects_metadata_schemas_create_request_body import (
    ManagementProjectsMetadataSchemasCreateRequestBody,
)
from voucherify.models.management_projects_metadata_schemas_update_request_body import (
    ManagementProjectsMetadataSchemasUpdateRequestBody,
)

from tests.support.server import MANAGEMENT_ID, MANAGEMENT_TOKEN, Project, RunningServer

PRODUCT_SCHEMA = {
    "related_object": "product",
    "allow_defined_only": True,
    "properties": {
        "brand": {"type": "string", "max_length": 40},
        "weight": {"type": "number", "gte": 0, "optional": False},
    },
}


@pytest.fixture
def management(server: RunningServer) -> Iterator[httpx.Client]:
    """An HTTP client with the management keys."""
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as client:
        yield client


@pytest.fixture
def management_sdk(server: RunningServer) -> Iterator[voucherify.ApiClient]:
    """The official SDK with the management keys."""
    configuration = voucherify.Configuration(
        host=server.base_url,
        api_key={"X-Management-Id": MANAGEMENT_ID, "X-Management-Token": MANAGEMENT_TOKEN},
    )
    with voucherify.ApiClient(configuration) as client:
        yield client


def test_sdk_manages_metadata_schemas(
    management_sdk: voucherify.ApiClient, sdk: voucherify.ApiClient, project: Project
) -> None:
    """The official SDK parses create, get, update, list and delete, and the /v1 reads."""
    api = ManagementApi(management_sdk)
    created = api.create_metadata_schema(
        project.id, ManagementProjectsMetadataSchemasCreateRequestBody.from_dict(PRODUCT_SCHEMA)
    )
    assert created.id.startswith("ms_")
    assert (created.related_object, created.allow_defined_only) == ("product", True)
    assert created.properties["brand"]["type"] == "string"
    assert created.properties["brand"]["max_length"] == 40
    updated = api.update_metadata_schema(
        project.id,
        created.id,
        ManagementProjectsMetadataSchemasUpdateRequestBody.from_dict(
            {"properties": {"color": {"type": "string", "array": True}}}
        ),
    )
    assert sorted(updated.properties) == ["brand", "color", "weight"]
    assert updated.properties["color"]["array"] is True
    assert api.get_metadata_schema1(project.id, created.id).id == created.id
    assert api.list_metadata_schemas1(project.id).total == 1
    client_api = MetadataSchemasApi(sdk)
    assert client_api.list_metadata_schemas().schemas[0].related_object == "product"
    assert client_api.get_metadata_schema("product").id == created.id
    api.delete_metadata_schema(project.id, created.id)
    assert api.list_metadata_schemas1(project.id).total == 0


def test_schema_shape_and_defaults(management: httpx.Client, project: Project) -> None:
    """Definitions get array/optional/deleted/object_type defaults; object is metadata_schema."""
    body = management.post(
        f"/management/v1/projects/{project.id}/metadata-schemas", json=PRODUCT_SCHEMA
    ).json()
    assert list(body) == [
        "id",
        "related_object",
        "properties",
        "allow_defined_only",
        "created_at",
        "updated_at",
        "object",
    ]
    assert body["object"] == "metadata_schema"
    assert body["properties"]["weight"] == {
        "type": "number",
        "array": False,
        "optional": False,
        "deleted": False,
        "object_type": None,
        "gte": 0.0,
    }


def test_schema_errors(management: httpx.Client, http: httpx.Client, project: Project) -> None:
    """Duplicates are 409, a type change or bad definition 400, unknowns 404."""
    base = f"/management/v1/projects/{project.id}/metadata-schemas"
    created = management.post(base, json=PRODUCT_SCHEMA).json()
    assert management.post(base, json=PRODUCT_SCHEMA).status_code == 409
    change = {"properties": {"brand": {"type": "number"}}}
    assert management.put(f"{base}/{created['id']}", json=change).status_code == 400
    for bad in (
        {"related_object": "order", "properties": {"x": {"type": "text"}}},
        {"related_object": "order", "properties": {"x": {"optional": True}}},
        {"related_object": "order"},
        {"properties": {}},
    ):
        assert management.post(base, json=bad).status_code == 400, bad
    assert management.get(f"{base}/ms_nope").status_code == 404
    assert management.get("/management/v1/projects/proj_nope/metadata-schemas").status_code == 404
    assert http.get("/v1/metadata-schemas/voucher").status_code == 404
    assert http.get(base).status_code == 401


def test_delete_project_removes_its_data(
    server: RunningServer, management: httpx.Client, http: httpx.Client, project: Project
) -> None:
    """Deleting a project answers 204 and removes it with its data; the default is refused."""
    http.post("/v1/products", json={"name": "Doomed"})
    management.post(f"/management/v1/projects/{project.id}/metadata-schemas", json=PRODUCT_SCHEMA)
    assert http.get("/v1/products").status_code == 200
    assert management.delete(f"/management/v1/projects/{project.id}").status_code == 204
    assert management.get(f"/management/v1/projects/{project.id}").status_code == 404
    assert http.get("/v1/products").status_code == 401, "the deleted project's keys stop at once"
    assert management.delete(f"/management/v1/projects/{project.id}").status_code == 404
    default_id = server.container.default_project["id"]
    refused = management.delete(f"/management/v1/projects/{default_id}")
    assert (refused.status_code, refused.json()["key"]) == (403, "forbidden")
