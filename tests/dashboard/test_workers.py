"""The dashboard under ``serve --workers 2`` (PostgreSQL): sessions live in the database, so a
sign-in made by one API process is honoured by the other, forms post through either, and a
sign-out ends the session in both (docs/adr/0072-dashboard-sessions-in-the-database.md)."""

from __future__ import annotations

import httpx
import pytest

from tests.cli.test_cli import FIXED
from tests.dashboard.conftest import csrf_of
from tests.integration.test_workers import workers

pytestmark = pytest.mark.postgres
__all__ = ["workers"]
APP = {"X-App-Id": FIXED["OPENVOUCHER_APP_ID"], "X-App-Token": FIXED["OPENVOUCHER_APP_TOKEN"]}
ROUNDS = 16
"""Requests on fresh connections: uvicorn's processes share the socket, so these spread over
both (all on one process has odds of 2^-15)."""


def _fresh(base_url: str, cookies: httpx.Cookies) -> httpx.Client:
    """A client on a new connection (so the request may land on either process)."""
    return httpx.Client(base_url=base_url, cookies=cookies, timeout=30)


def _sign_in(base_url: str) -> httpx.Cookies:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        form = client.get("/dashboard/login").text
        data = {
            "csrf": csrf_of(form),
            "key_id": FIXED["OPENVOUCHER_APP_ID"],
            "token": FIXED["OPENVOUCHER_APP_TOKEN"],
        }
        reply = client.post("/dashboard/login", data=data)
        assert reply.status_code == 303, reply.text
        return httpx.Cookies({"ov_dashboard": client.cookies["ov_dashboard"]})


def test_sessions_and_forms_work_across_api_processes(workers: str) -> None:
    """Signed in once, every page and form post succeeds on fresh connections; signed out,
    none does."""
    cookies = _sign_in(workers)
    home = httpx.get(workers + "/dashboard", cookies=cookies)
    project_url = home.headers["location"]
    for index in range(ROUNDS):
        with _fresh(workers, cookies) as client:
            page = client.get(project_url + "/campaigns/new")
            assert page.status_code == 200, page.text
            form = {
                "csrf": csrf_of(page.text),
                "campaign_type": "GIFT_VOUCHERS",
                "name": f"Worker cards {index}",
                "vouchers_count": "1",
                "length": "8",
                "amount": "10",
            }
        with _fresh(workers, cookies) as client:
            created = client.post(project_url + "/campaigns/new", data=form)
            assert created.status_code == 303, created.text
    listed = httpx.get(workers + "/v1/campaigns?limit=100", headers=APP).json()
    assert listed["total"] == ROUNDS
    with _fresh(workers, cookies) as client:
        token = csrf_of(client.get(project_url).text)
        assert client.post("/dashboard/logout", data={"csrf": token}).status_code == 303
    for _ in range(4):
        with _fresh(workers, cookies) as client:
            assert client.get(project_url).status_code == 303
