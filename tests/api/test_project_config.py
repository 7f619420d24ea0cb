"""Custom event schemas (and their check on POST /v1/events), branding and project users."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import voucherify
from voucherify.api.management_api import ManagementApi
from voucherify.models.management_projects_branding_create_request_body import (
    ManagementProjectsBrandingCreateRequestBody,
)
from voucherify.models.management_projects_branding_update_request_body import (
    ManagementProjectsBrandingUpdateRequestBody,
)
from voucherify.models.management_projects_custom_event_schemas_create_request_body import (
    ManagementProjectsCustomEventSchemasCreateRequestBody,
)
from voucherify.models.management_projects_custom_event_schemas_update_request_body import (
    ManagementProjectsCustomEventSchemasUpdateRequestBody,
)
from voucherify.models.management_projects_users_assign_request_body import (
    ManagementProjectsUsersAssignRequestBody,
)
from voucherify.models.management_projects_users_invite_create_request_body import (
    ManagementProjectsUsersInviteCreateRequestBody,
)
from voucherify.models.management_projects_users_update_role_request_body import (
    ManagementProjectsUsersUpdateRoleRequestBody,
)

from tests.api.catalog_helpers import outbox
from tests.support.server import (
    MANAGEMENT_ID,
    MANAGEMENT_TOKEN,
    Project,
    RunningServer,
    new_project,
)

REVIEW = {
    "name": "review_written",
    "schema": {
        "properties": {
            "stars": {"type": "number", "optional": False},
            "channel": {"type": "string", "optional": True},
        }
    },
}


@pytest.fixture
def management(server: RunningServer) -> Iterator[httpx.Client]:
    """An HTTP client with the management keys."""
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as client:
        yield client


@pytest.fixture
def api(server: RunningServer) -> Iterator[ManagementApi]:
    """The official SDK's ManagementApi with the management keys."""
    configuration = voucherify.Configuration(
        host=server.base_url,
        api_key={"X-Management-Id": MANAGEMENT_ID, "X-Management-Token": MANAGEMENT_TOKEN},
    )
    with voucherify.ApiClient(configuration) as client:
        yield ManagementApi(client)


def test_sdk_manages_custom_event_schemas(api: ManagementApi, project: Project) -> None:
    """The SDK parses create, get, update (merge, type change, deleted) list and delete."""
    created = api.create_custom_event_schema(
        project.id, ManagementProjectsCustomEventSchemasCreateRequestBody.from_dict(REVIEW)
    )
    assert created.id.startswith("ms_")
    assert (created.name, created.object) == ("review_written", "custom-event-schema")
    assert created.var_schema.properties["stars"] == {
        "type": "number",
        "optional": False,
        "deleted": False,
    }
    changes = {"properties": {"channel": {"type": "number", "optional": True, "deleted": True}}}
    updated = api.update_custom_event_schema(
        project.id,
        created.id,
        ManagementProjectsCustomEventSchemasUpdateRequestBody.from_dict({"schema": changes}),
    )
    assert updated.var_schema.properties["channel"]["deleted"] is True
    assert updated.var_schema.properties["stars"]["type"] == "number"
    assert updated.updated_at is not None
    assert api.get_custom_event_schema(project.id, created.id).name == "review_written"
    listed = api.list_custom_event_schemas(project.id)
    assert (listed.total, listed.data[0].id) == (1, created.id)
    api.delete_custom_event_schema(project.id, created.id)
    assert api.list_custom_event_schemas(project.id).total == 0


def test_custom_event_schema_errors(management: httpx.Client, project: Project) -> None:
    """A taken name is 409; a missing name or schema or a bad type is 400; unknowns are 404."""
    base = f"/management/v1/projects/{project.id}/custom-event-schemas"
    assert management.post(base, json=REVIEW).status_code == 200
    taken = management.post(base, json=REVIEW)
    assert (taken.status_code, taken.json()["key"]) == (409, "duplicate_found")
    for bad in (
        {"schema": {"properties": {}}},
        {"name": "x"},
        {"name": "x", "schema": {"properties": {"a": {"type": "geopoint"}}}},
    ):
        answer = management.post(base, json=bad)
        assert (answer.status_code, answer.json()["code"]) == (400, 400), bad
    missing = management.get(f"{base}/ms_nope")
    assert (missing.status_code, missing.json()["key"]) == (404, "not_found")
    other = "/management/v1/projects/proj_nope/custom-event-schemas"
    assert management.get(other).status_code == 404


def _event(http: httpx.Client, name: str, metadata: dict[str, object]) -> httpx.Response:
    body = {"event": name, "customer": {"source_id": "reviewer"}, "metadata": metadata}
    return http.post("/v1/events", json=body)


def test_events_follow_the_schemas(
    server: RunningServer, management: httpx.Client, http: httpx.Client, project: Project
) -> None:
    """Without schemas any name passes; with some, unknown names are 404 and metadata checked."""
    assert _event(http, "anything_goes", {}).status_code == 200
    base = f"/management/v1/projects/{project.id}/custom-event-schemas"
    schema_id = management.post(base, json=REVIEW).json()["id"]
    unknown = _event(http, "anything_goes", {})
    assert (unknown.status_code, unknown.json()["key"]) == (404, "not_found")
    missing = _event(http, "review_written", {"channel": "app"})
    assert missing.status_code == 400
    assert "metadata.stars is required" in missing.json()["details"]
    wrong = _event(http, "review_written", {"stars": "five"})
    assert wrong.status_code == 400
    good = _event(http, "review_written", {"stars": 5, "extra": "kept"})
    assert (good.status_code, good.json()["type"]) == (200, "review_written")
    assert good.json()["metadata"] == {"stars": 5, "extra": "kept"}
    tracked = [r for r in outbox(server, project) if r["type"] == "customer.custom_event"]
    assert [r["data"]["event_schema"] for r in tracked] == [
        {"name": "anything_goes"},
        {"id": schema_id, "name": "review_written"},
    ]
    off = {"schema": {"properties": {"stars": {"type": "number", "deleted": True}}}}
    management.put(f"{base}/{schema_id}", json=off)
    assert _event(http, "review_written", {}).status_code == 200


def test_schemas_are_per_project(
    server: RunningServer, management: httpx.Client, project: Project
) -> None:
    """Another project neither sees the schema nor has its events checked by it."""
    other = new_project(server)
    base = f"/management/v1/projects/{project.id}/custom-event-schemas"
    schema_id = management.post(base, json=REVIEW).json()["id"]
    other_base = f"/management/v1/projects/{other.id}/custom-event-schemas"
    assert management.get(other_base).json()["total"] == 0
    assert management.get(f"{other_base}/{schema_id}").status_code == 404
    with other.client() as client:
        assert _event(client, "review_written", {}).status_code == 200


BRAND = {
    "brand": {"name": "Acme", "website_url": "https://acme.test"},
    "address": {"city": "Warsaw", "country": "PL"},
    "contact": {"email": "hello@acme.test"},
}


def test_sdk_manages_branding(api: ManagementApi, project: Project) -> None:
    """The SDK parses create, get, update (only sent fields change), list and delete."""
    created = api.create_brand(
        project.id, ManagementProjectsBrandingCreateRequestBody.from_dict(BRAND)
    )
    assert created.id.startswith("brd_")
    assert (created.brand.name, created.address.city) == ("Acme", "Warsaw")
    assert created.brand.permission_reminder.startswith("You are receiving this email")
    assert created.contact.phone is None
    updated = api.update_brand(
        project.id,
        created.id,
        ManagementProjectsBrandingUpdateRequestBody.from_dict({"contact": {"phone": "+48 1"}}),
    )
    assert (updated.contact.phone, updated.contact.email) == ("+48 1", "hello@acme.test")
    assert updated.brand.name == "Acme"
    assert api.get_brand(project.id, created.id).address.country == "PL"
    listed = api.list_brands(project.id)
    assert (listed.total, listed.data[0].id) == (1, created.id)
    api.delete_brand(project.id, created.id)
    assert api.list_brands(project.id).total == 0


def test_branding_errors(server: RunningServer, management: httpx.Client, project: Project) -> None:
    """A second brand is 409, an unknown field 400, another project's brand 404."""
    base = f"/management/v1/projects/{project.id}/branding"
    brand_id = management.post(base, json=BRAND).json()["id"]
    assert management.post(base, json=BRAND).status_code == 409
    bad = management.put(f"{base}/{brand_id}", json={"brand": {"logo": "x"}})
    assert (bad.status_code, bad.json()["key"]) == (400, "invalid_payload")
    other = new_project(server)
    assert (
        management.get(f"/management/v1/projects/{other.id}/branding/{brand_id}").status_code == 404
    )
    assert management.get(f"{base}/brd_nope").status_code == 404


def test_sdk_invites_and_manages_users(
    server: RunningServer, api: ManagementApi, project: Project
) -> None:
    """An invitation creates the user in its projects; assign, role change and unassign."""
    other = new_project(server)
    email = f"ann.{project.id.lower()}@example.com"
    api.invite_user(
        ManagementProjectsUsersInviteCreateRequestBody.from_dict(
            {
                "email": email,
                "first_name": "Ann",
                "last_name": "Lee",
                "projects": {project.id: "ADMIN"},
            }
        )
    )
    listed = api.list_users(project.id)
    assert listed.total == 1
    user = listed.data[0]
    assert (user.login, user.email, user.first_name) == (email, email, "Ann")
    assert user.projects == {project.id: "ADMIN"}
    assigned = api.assign_user(
        other.id,
        ManagementProjectsUsersAssignRequestBody.from_dict({"login": email, "role": "VIEWER"}),
    )
    assert assigned.projects == {project.id: "ADMIN", other.id: "VIEWER"}
    changed = api.update_user(
        other.id, user.id, ManagementProjectsUsersUpdateRoleRequestBody.from_dict({"role": "USER"})
    )
    assert changed.projects[other.id] == "USER"
    assert api.get_user(project.id, user.id).projects[other.id] == "USER"
    api.unassign_user(other.id, user.id)
    assert api.list_users(other.id).total == 0
    assert api.get_user(project.id, user.id).projects == {project.id: "ADMIN"}


def test_user_errors(server: RunningServer, management: httpx.Client, project: Project) -> None:
    """Bad roles and logins are 400, taken logins 409, unknown users 404, the last project kept."""
    email = f"bob.{project.id.lower()}@example.com"
    invite = {"email": email, "projects": {project.id: "ADMIN"}}
    invite_url = "/management/v1/projects/users/invite"
    assert (
        management.post(invite_url, json={**invite, "projects": {project.id: "BOSS"}}).status_code
        == 400
    )
    assert management.post(invite_url, json={**invite, "email": "nobody"}).status_code == 400
    assert (
        management.post(invite_url, json={**invite, "projects": {"proj_nope": "USER"}}).status_code
        == 404
    )
    assert management.post(invite_url, json=invite).status_code == 204
    assert management.post(invite_url, json=invite).status_code == 409
    base = f"/management/v1/projects/{project.id}/users"
    user_id = management.get(base).json()["data"][0]["id"]
    assert management.post(base, json={"id": user_id, "role": "USER"}).status_code == 409
    assert management.post(base, json={"role": "USER"}).status_code == 400
    assert management.post(base, json={"id": "user_nope", "role": "USER"}).status_code == 404
    assert management.put(f"{base}/{user_id}", json={"role": "OWNER"}).status_code == 400
    last = management.delete(f"{base}/{user_id}")
    assert (last.status_code, last.json()["key"]) == (400, "invalid_payload")
    other = new_project(server)
    assert management.get(f"/management/v1/projects/{other.id}/users/{user_id}").status_code == 404
