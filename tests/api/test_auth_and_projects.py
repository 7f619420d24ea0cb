"""Auth on /v1 and /management/v1, the error model, and project management."""

from __future__ import annotations

import httpx

from tests.support.server import Project, RunningServer

ERROR_KEYS = {"code", "key", "message", "details", "request_id"}


def test_health_needs_no_auth(server: RunningServer) -> None:
    """GET /health answers 200 without keys."""
    assert httpx.get(server.base_url + "/health").status_code == 200


def test_missing_keys_are_401_with_error_body(server: RunningServer) -> None:
    """A /v1 call without keys is a 401 Voucherify error body."""
    response = httpx.get(server.base_url + "/v1/customers")
    assert response.status_code == 401
    body = response.json()
    assert body.keys() >= ERROR_KEYS
    assert body["code"] == 401
    assert body["request_id"].startswith("v-")


def test_wrong_token_is_401(server: RunningServer, project: Project) -> None:
    """A known app id with the wrong token is refused."""
    headers = {"X-App-Id": project.app_id, "X-App-Token": "wrong"}
    response = httpx.get(server.base_url + "/v1/customers", headers=headers)
    assert response.status_code == 401


def test_app_keys_do_not_open_management(server: RunningServer, project: Project) -> None:
    """Project keys are not management keys."""
    headers = {"X-Management-Id": project.app_id, "X-Management-Token": project.app_token}
    response = httpx.get(server.base_url + "/management/v1/projects", headers=headers)
    assert response.status_code == 401


def test_unknown_route_is_404_error_body(server: RunningServer) -> None:
    """An unknown path gets a JSON not_found error."""
    response = httpx.get(server.base_url + "/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["key"] == "not_found"


def test_create_get_update_list_projects(server: RunningServer) -> None:
    """Management can create, read, update and list projects, with keys and webhook token."""
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as client:
        created = client.post("/management/v1/projects", json={"name": "Shop", "currency": "EUR"})
        assert created.status_code == 200, created.text
        body = created.json()
        assert body["id"].startswith("proj_")
        assert body["currency"] == "EUR"
        assert body["webhook_token"]
        assert body["server_side_key"]["app_id"]
        assert body["server_side_key"]["app_token"]
        updated = client.put(f"/management/v1/projects/{body['id']}", json={"name": "Shop 2"})
        assert updated.json()["name"] == "Shop 2"
        assert updated.json()["currency"] == "EUR"
        listed = client.get("/management/v1/projects").json()
        assert body["id"] in {p["id"] for p in listed["data"]}
        missing = client.get("/management/v1/projects/proj_missing")
        assert missing.status_code == 404


def test_new_project_keys_work_on_v1(server: RunningServer) -> None:
    """Keys returned by project creation authenticate /v1 calls."""
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as client:
        key = client.post("/management/v1/projects", json={"name": "K"}).json()["server_side_key"]
    headers = {"X-App-Id": key["app_id"], "X-App-Token": key["app_token"]}
    assert httpx.get(server.base_url + "/v1/customers", headers=headers).status_code == 200


def test_bad_project_payloads_are_400(server: RunningServer) -> None:
    """Malformed JSON, wrong types and a missing name are 400 invalid_payload."""
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as client:
        for content in (b"{not json", b'{"name": 5}', b"{}", b"[]"):
            response = client.post(
                "/management/v1/projects",
                content=content,
                headers={"Content-Type": "application/json"},
            )
            assert response.status_code == 400, content
            assert response.json()["key"] == "invalid_payload"
