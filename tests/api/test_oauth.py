"""OAuth 2.0 client-credentials tokens: issue, use as Bearer, scopes, expiry, revocation."""

from __future__ import annotations

import base64
from datetime import timedelta

import httpx
import voucherify
from voucherify.api.customers_api import CustomersApi
from voucherify.models.customers_create_request_body import CustomersCreateRequestBody

from openvoucher.platform import projects
from tests.support.server import Project, RunningServer, new_project


def token(project: Project, scope: str = "api", **kwargs: object) -> dict[str, object]:
    """Issue a token with the project's key headers."""
    response = httpx.post(
        f"{project.base_url}/v1/oauth/token",
        headers=project.headers,
        data={"grant_type": "client_credentials", "scope": scope},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def bearer(project: Project, access_token: object) -> httpx.Client:
    """A client sending only the bearer token."""
    return httpx.Client(
        base_url=project.base_url, headers={"Authorization": f"Bearer {access_token}"}, timeout=10
    )


def test_issue_shape(server: RunningServer, project: Project) -> None:
    """The token response has Voucherify's fields: 900 s, Bearer, the scope, unix expires_at."""
    body = token(project, "vouchers customers")
    assert list(body) == [
        "access_token",
        "client_id",
        "expires_at",
        "expires_in",
        "scope",
        "token_type",
    ]
    assert (body["expires_in"], body["token_type"], body["scope"]) == (
        900,
        "Bearer",
        "vouchers customers",
    )
    now = int(server.clock.now().timestamp())
    assert isinstance(body["expires_at"], int)
    assert abs(body["expires_at"] - (now + 900)) <= 2
    assert body["client_id"] != project.app_id


def test_basic_auth_and_form_credentials(project: Project) -> None:
    """The key can also come as HTTP Basic credentials or client_id/client_secret fields."""
    basic = base64.b64encode(f"{project.app_id}:{project.app_token}".encode()).decode()
    url = f"{project.base_url}/v1/oauth/token"
    form = {"grant_type": "client_credentials", "scope": "api"}
    by_basic = httpx.post(url, data=form, headers={"Authorization": f"Basic {basic}"})
    assert by_basic.status_code == 200
    fields = {**form, "client_id": project.app_id, "client_secret": project.app_token}
    assert httpx.post(url, data=fields).status_code == 200


def test_bad_token_requests(project: Project) -> None:
    """Wrong keys are 401; a missing/unknown grant or scope is 400."""
    url = f"{project.base_url}/v1/oauth/token"
    form = {"grant_type": "client_credentials", "scope": "api"}
    wrong = {"X-App-Id": project.app_id, "X-App-Token": "nope"}
    assert httpx.post(url, data=form, headers=wrong).status_code == 401
    assert httpx.post(url, data=form).status_code == 401
    for bad in ({"scope": "api"}, {**form, "grant_type": "password"}, {**form, "scope": ""}):
        response = httpx.post(url, data=bad, headers=project.headers)
        assert response.status_code == 400, bad
    unknown = httpx.post(url, data={**form, "scope": "api nuclear"}, headers=project.headers)
    assert "nuclear" in unknown.json()["details"]


def test_bearer_acts_as_the_project(project: Project, http: httpx.Client) -> None:
    """A Bearer token reads and writes the project's data like its API key."""
    http.post("/v1/customers", json={"source_id": "alice"})
    with bearer(project, token(project)["access_token"]) as client:
        assert client.get("/v1/customers/alice").json()["source_id"] == "alice"
        created = client.post("/v1/products", json={"name": "Via OAuth"})
        assert created.status_code == 200
    assert http.get(f"/v1/products/{created.json()['id']}").json()["name"] == "Via OAuth"


def test_sdk_works_with_a_bearer_token(project: Project) -> None:
    """The official SDK authenticates with an OAuth token sent as an Authorization header."""
    access = token(project, "customers")["access_token"]
    configuration = voucherify.Configuration(host=project.base_url)
    with voucherify.ApiClient(
        configuration, header_name="Authorization", header_value=f"Bearer {access}"
    ) as client:
        created = CustomersApi(client).create_customer(
            CustomersCreateRequestBody(source_id="bob", name="Bob")
        )
    assert (created.source_id, created.name) == ("bob", "Bob")


def test_scope_limits_endpoints(project: Project) -> None:
    """A token scoped to customers cannot call the vouchers API (403)."""
    with bearer(project, token(project, "customers")["access_token"]) as client:
        assert client.get("/v1/customers").status_code == 200
        response = client.get("/v1/vouchers")
        assert response.status_code == 403
        assert response.json()["key"] == "forbidden"


def test_token_expires(server: RunningServer, project: Project) -> None:
    """After 15 minutes the token is refused."""
    access = token(project)["access_token"]
    with bearer(project, access) as client:
        assert client.get("/v1/products").status_code == 200
        server.clock.advance(timedelta(seconds=901))
        try:
            response = client.get("/v1/products")
        finally:
            server.clock.advance(timedelta(seconds=-901))
    assert response.status_code == 401


def test_introspect_and_revoke(project: Project, http: httpx.Client) -> None:
    """Introspection reports an active token; after revocation it is inactive and refused."""
    access = token(project, "products")["access_token"]
    active = http.post("/v1/oauth/introspect", data={"access_token": access}).json()
    assert (active["active"], active["scope"], active["token_type"]) == (True, "products", "Bearer")
    assert 0 < active["expires_in"] <= 900
    assert http.post("/v1/oauth/token/revoke", data={"access_token": access}).status_code == 204
    gone = http.post("/v1/oauth/introspect", data={"access_token": access}).json()
    assert gone == {"active": False}
    with bearer(project, access) as client:
        assert client.get("/v1/products").status_code == 401
    missing = http.post("/v1/oauth/introspect", data={})
    assert missing.status_code == 400


def test_other_projects_tokens_are_invisible(server: RunningServer, project: Project) -> None:
    """A project can neither introspect nor revoke another project's token."""
    other = new_project(server, "other")
    access = token(other)["access_token"]
    with project.client() as client:
        assert client.post("/v1/oauth/introspect", data={"access_token": access}).json() == {
            "active": False
        }
        client.post("/v1/oauth/token/revoke", data={"access_token": access})
    with bearer(other, access) as client:
        assert client.get("/v1/products").status_code == 200


def test_token_dies_with_a_key_of_the_wrong_kind(server: RunningServer, project: Project) -> None:
    """Client-side keys cannot issue tokens, and a garbage bearer is 401."""
    raw = projects.get_project(server.container.uow, project.id)
    client_key = raw["client_keys"][0]
    response = httpx.post(
        f"{project.base_url}/v1/oauth/token",
        data={"grant_type": "client_credentials", "scope": "api"},
        headers={"X-App-Id": client_key["key_id"], "X-App-Token": client_key["token"]},
    )
    assert response.status_code == 401
    with bearer(project, "not-a-token") as client:
        assert client.get("/v1/products").json()["key"] == "unauthorized"
