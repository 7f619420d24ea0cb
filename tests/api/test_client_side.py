"""Client-side API: client keys and client-scoped OAuth tokens on /client/v1."""

from __future__ import annotations

import json

import httpx
import pytest
import voucherify
from voucherify.api.client_side_api import ClientSideApi
from voucherify.models.client_qualifications_check_eligibility_request_body import (
    ClientQualificationsCheckEligibilityRequestBody,
)
from voucherify.models.client_redemptions_redeem_request_body import (
    ClientRedemptionsRedeemRequestBody,
)

from openvoucher.platform import projects
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


def client_sdk(server: RunningServer, project: Project) -> voucherify.ApiClient:
    """The official SDK with the project's client-side keys."""
    headers = client_headers(server, project)
    configuration = voucherify.Configuration(host=project.base_url, api_key=headers)
    return voucherify.ApiClient(configuration)


def settings(server: RunningServer, project: Project, **values: object) -> None:
    """Change the project's client-side settings through the management API."""
    response = httpx.put(
        f"{server.base_url}/management/v1/projects/{project.id}",
        json=values,
        headers=server.management_headers,
    )
    assert response.status_code == 200, response.text


def voucher_10(http: httpx.Client, code: str) -> None:
    """A standalone 5.00-off voucher."""
    made = http.post(
        f"/v1/vouchers/{code}",
        json={"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 500}},
    )
    assert made.status_code == 200, made.text


def test_sdk_client_side_qualifications(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """The official SDK's client-side qualification parses, with the server-side result."""
    voucher_10(http, "Q-CLIENT")
    body = ClientQualificationsCheckEligibilityRequestBody.from_dict({"order": {"amount": 2000}})
    with client_sdk(server, project) as sdk:
        found = ClientSideApi(sdk).check_eligibility_client_side(body)
    assert [r.id for r in found.redeemables.data] == ["Q-CLIENT"]
    assert found.redeemables.data[0].order.total_amount == 1500


def test_sdk_client_side_redemption_needs_the_setting(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Client-side redemption is 403 until client_redeem_enabled, then redeems as /v1 does."""
    voucher_10(http, "R-CLIENT")
    settings(server, project, client_trusted_domains=["shop.example"])
    stack = {"redeemables": [{"object": "voucher", "id": "R-CLIENT"}], "order": {"amount": 2000}}
    body = ClientRedemptionsRedeemRequestBody.from_dict(stack)
    with client_sdk(server, project) as sdk:
        api = ClientSideApi(sdk)
        with pytest.raises(voucherify.ApiException) as caught:
            api.redeem_stacked_discounts_client_side("https://shop.example", body)
        assert (caught.value.status, json.loads(caught.value.body)["key"]) == (403, "forbidden")
        assert http.get("/v1/redemptions").json()["total"] == 0
        settings(server, project, client_redeem_enabled=True)
        done = api.redeem_stacked_discounts_client_side("https://shop.example", body)
    assert done.redemptions[0].voucher.code == "R-CLIENT"
    assert done.order.total_amount == 1500
    assert http.get("/v1/vouchers/R-CLIENT").json()["redemption"]["redeemed_quantity"] == 1


def test_trusted_domains_limit_client_origins(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """With trusted domains set, only matching Origin headers pass (host, origin, wildcard)."""
    settings(
        server,
        project,
        client_trusted_domains=["shop.example", "https://app.example:8443", "*.cdn.example"],
    )
    url = f"{project.base_url}/client/v1/qualifications"
    for origin, status in (
        ("https://shop.example", 200),
        ("https://app.example:8443", 200),
        ("https://eu.cdn.example", 200),
        ("https://app.example", 403),
        ("https://evil.example", 403),
        (None, 403),
    ):
        headers = client_headers(server, project)
        if origin:
            headers["Origin"] = origin
        response = httpx.post(url, json={}, headers=headers)
        assert response.status_code == status, (origin, response.text)


def test_client_tokens_reach_qualifications_and_redemptions(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """client_qualifications and client_redemptions tokens each open their own endpoint."""
    settings(server, project, client_redeem_enabled=True)
    voucher_10(http, "T-CLIENT")
    stack = {"redeemables": [{"object": "voucher", "id": "T-CLIENT"}], "order": {"amount": 900}}
    quals = {"Authorization": f"Bearer {token(project, 'client_qualifications')['access_token']}"}
    redeems = {"Authorization": f"Bearer {token(project, 'client_redemptions')['access_token']}"}
    base = f"{project.base_url}/client/v1"
    assert httpx.post(f"{base}/qualifications", json={}, headers=quals).status_code == 200
    assert httpx.post(f"{base}/redemptions", json=stack, headers=quals).status_code == 403
    redeemed = httpx.post(f"{base}/redemptions", json=stack, headers=redeems)
    assert (redeemed.status_code, redeemed.json()["redemptions"][0]["result"]) == (200, "SUCCESS")


def test_client_events_count_for_loyalty_only_when_enabled(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """A client-side custom event is stored either way; it earns points only once the project
    sets ``client_loyalty_events_enabled``."""
    club = ok_json(http.post("/v1/loyalties", json={"name": "Club", "auto_join": True}))
    loyalty = {"type": "FIXED", "points": 5}
    rules = [{"event": "review_written", "loyalty": loyalty}]
    assert http.post(f"/v1/loyalties/{club['id']}/earning-rules", json=rules).status_code == 200
    assert http.post("/v1/customers", json={"source_id": "ivy"}).status_code == 200
    body = {"event": "review_written", "customer": {"source_id": "ivy"}}
    url = f"{project.base_url}/client/v1/events"
    headers = client_headers(server, project)
    assert httpx.post(url, json=body, headers=headers).status_code == 200
    members = http.get(f"/v1/loyalties/{club['id']}/members", params={"customer": "ivy"})
    assert members.json()["vouchers"] == []
    settings(server, project, client_loyalty_events_enabled=True)
    assert httpx.post(url, json=body, headers=headers).status_code == 200
    members = http.get(f"/v1/loyalties/{club['id']}/members", params={"customer": "ivy"})
    assert [m["loyalty_card"]["balance"] for m in members.json()["vouchers"]] == [5]


def test_client_customer_creation_follows_the_setting(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Client-side events and redemptions for an unknown customer are 403 (nothing created)
    until ``client_create_customer_enabled``; known customers pass either way."""
    url = f"{project.base_url}/client/v1/events"
    headers = client_headers(server, project)
    new = {"event": "visited", "customer": {"source_id": "newbie"}}
    refused = httpx.post(url, json=new, headers=headers)
    assert (refused.status_code, refused.json()["key"]) == (403, "forbidden")
    assert "client_create_customer_enabled" in refused.json()["details"]
    assert http.get("/v1/customers/newbie").status_code == 404
    settings(server, project, client_redeem_enabled=True)
    http.post("/v1/vouchers/CC-1", json={"discount": {"type": "AMOUNT", "amount_off": 100}})
    stack = {"redeemables": [{"object": "voucher", "id": "CC-1"}], "order": {"amount": 1000}}
    redeem = f"{project.base_url}/client/v1/redemptions"
    with_new = {**stack, "customer": {"source_id": "newbie"}}
    assert httpx.post(redeem, json=with_new, headers=headers).status_code == 403
    assert httpx.post(redeem, json=stack, headers=headers).status_code == 200
    settings(server, project, client_create_customer_enabled=True)
    assert httpx.post(url, json=new, headers=headers).status_code == 200
    assert http.get("/v1/customers/newbie").status_code == 200


def ok_json(response: httpx.Response) -> dict[str, object]:
    """The JSON body of a 200 response."""
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body
