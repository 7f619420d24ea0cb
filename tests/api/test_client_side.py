"""Client-side API: client keys and client-scoped OAuth tokens on /client/v1."""

from __future__ import annotations

import httpx

from openvoucher.services import projects
from tests.api.test_oauth import token
from tests.support.server import Project, RunningServer


def client_headers(server: RunningServer, project: Project) -> dict[str, str]:
    """The project's client-side key headers."""
    key = projects.get_project(server.container.uow, project.id)["client_keys"][0]
    return {"X-Client-Application-Id": key["key_id"], "X-Client-Token": key["token"]}


def test_client_keys_validate(server: RunningServer, project: Project, http: httpx.Client) -> None:
    """Client keys validate a voucher on /client/v1/validations."""
    http.post(
        "/v1/vouchers/CLIENT-10",
        json={"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 500}},
    )
    body = {"redeemables": [{"object": "voucher", "id": "CLIENT-10"}], "order": {"amount": 2000}}
    response = httpx.post(
        f"{project.base_url}/client/v1/validations",
        json=body,
        headers=client_headers(server, project),
    )
    assert response.status_code == 200, response.text
    assert response.json()["valid"] is True


def test_client_keys_do_not_open_the_server_api(server: RunningServer, project: Project) -> None:
    """Client keys are refused on /v1, and server keys on /client/v1."""
    url = project.base_url
    assert (
        httpx.get(f"{url}/v1/vouchers", headers=client_headers(server, project)).status_code == 401
    )
    response = httpx.post(f"{url}/client/v1/validations", json={}, headers=project.headers)
    assert response.status_code == 401


def test_client_scoped_token(project: Project) -> None:
    """A client_validations token reaches /client/v1/validations but not /v1 or client events."""
    access = token(project, "client_validations")["access_token"]
    headers = {"Authorization": f"Bearer {access}"}
    body = {"redeemables": [{"object": "voucher", "id": "NOPE"}]}
    ok = httpx.post(f"{project.base_url}/client/v1/validations", json=body, headers=headers)
    assert ok.status_code == 200
    assert ok.json()["valid"] is False
    assert httpx.get(f"{project.base_url}/v1/vouchers", headers=headers).status_code == 403
    events = httpx.post(f"{project.base_url}/client/v1/events", json={}, headers=headers)
    assert events.status_code == 403
