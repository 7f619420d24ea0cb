"""Client-side keys: closed origins by default, and a rate limit that spares server-side keys."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from tests.api.test_client_side import client_headers, settings
from tests.support.server import Project, RunningServer, new_project, start_server

QUALIFY = "/client/v1/qualifications"


def test_empty_trusted_domains_refuse_browser_origins(
    server: RunningServer, project: Project
) -> None:
    """No trusted domains: a request with an Origin is 403 saying how to allow it; none passes."""
    headers = client_headers(server, project)
    url = f"{project.base_url}{QUALIFY}"
    refused = httpx.post(url, json={}, headers={**headers, "Origin": "https://evil.example"})
    assert refused.status_code == 403
    assert "client_trusted_domains" in refused.json()["details"]
    assert "--dev" in refused.json()["details"]
    assert httpx.post(url, json={}, headers=headers).status_code == 200
    settings(server, project, client_trusted_domains=["*"])
    allowed = httpx.post(url, json={}, headers={**headers, "Origin": "https://evil.example"})
    assert allowed.status_code == 200


def test_client_body_limits_apply(server: RunningServer, project: Project) -> None:
    """A client-side event with metadata nested 300 deep is a 400, and nothing is stored."""
    raw = b'{"event": "e", "customer": {"source_id": "x"}, "metadata": '
    raw += b'{"k":' * 300 + b"1" + b"}" * 300 + b"}"
    headers = {**client_headers(server, project), "content-type": "application/json"}
    reply = httpx.post(f"{project.base_url}/client/v1/events", content=raw, headers=headers)
    assert (reply.status_code, reply.json()["key"]) == (400, "invalid_payload")
    assert (
        httpx.get(f"{project.base_url}/v1/customers/x", headers=project.headers).status_code == 404
    )


@pytest.fixture
def limited(database_url: str) -> Iterator[RunningServer]:
    """A second server on the session's database with a client limit of 20 a minute."""
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    running = start_server(database_url, backend, client_rate_limit=20)
    yield running
    running.stop()


def test_client_key_flood_gets_429_while_server_keys_work(limited: RunningServer) -> None:
    """60 requests from one client key and origin: 20 pass, the rest 429; server keys unaffected."""
    project = new_project(limited)
    settings(limited, project, client_trusted_domains=["shop.example"])
    headers = {**client_headers(limited, project), "Origin": "https://shop.example"}
    statuses: Counter[int] = Counter()
    with httpx.Client(base_url=project.base_url) as client, project.client() as server_side:
        for _ in range(60):
            reply = client.post(QUALIFY, json={}, headers=headers)
            statuses[reply.status_code] += 1
            assert server_side.get("/v1/vouchers").status_code == 200
        last = client.post(QUALIFY, json={}, headers=headers)
    assert statuses[200] in (20, 21)
    assert statuses[429] == 60 - statuses[200]
    assert last.json()["key"] == "too_many_requests"
    assert int(last.headers["retry-after"]) >= 1
