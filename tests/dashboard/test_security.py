"""Dashboard security: sessions, project isolation (URL tampering too), CSRF, escaping of what
users stored, sign-out."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.dashboard.conftest import csrf_of, sign_in
from tests.support.server import (
    MANAGEMENT_ID,
    MANAGEMENT_TOKEN,
    Project,
    RunningServer,
    new_project,
)

GET_PAGES = (
    "",
    "/vouchers",
    "/vouchers/ANY",
    "/campaigns",
    "/campaigns/new",
    "/customers",
    "/orders",
    "/redemptions",
    "/loyalty",
    "/rewards",
    "/developers/webhooks",
    "/developers/sendouts",
    "/developers/keys",
    "/developers/trigger",
    "/loyalty/ANY",
    "/actions/ANY",
)
POST_ACTIONS = (
    "/campaigns/new",
    "/vouchers/ANY/balance",
    "/vouchers/ANY/active",
    "/developers/webhooks",
    "/developers/trigger",
    "/redemptions/ANY/rollback",
    "/rewards",
    "/rewards/assignments",
    "/campaigns/ANY/referral",
)


def gift_card(http: httpx.Client, code: str) -> dict[str, Any]:
    """A 50.00 gift card with ``code``, made through the API."""
    campaign = http.post(
        "/v1/campaigns",
        json={
            "name": f"Gifts {code}",
            "campaign_type": "GIFT_VOUCHERS",
            "voucher": {"type": "GIFT_VOUCHER", "gift": {"amount": 5000}},
        },
    ).json()
    card = http.post(f"/v1/campaigns/{campaign['id']}/vouchers/{code}", json={})
    assert card.status_code == 200, card.text
    return dict(card.json())


def test_no_page_or_action_without_a_session(project: Project, http: httpx.Client) -> None:
    """Every page and form action sends a visitor without a session to sign in, doing nothing."""
    gift_card(http, "NOSESSION-1")
    with httpx.Client(base_url=project.base_url) as anonymous:
        for path in GET_PAGES:
            reply = anonymous.get(f"/dashboard/p/{project.id}{path}")
            assert (reply.status_code, reply.headers["location"]) == (303, "/dashboard/login")
        for path in POST_ACTIONS:
            reply = anonymous.post(
                f"/dashboard/p/{project.id}{path}",
                data={"name": "X", "campaign_type": "GIFT_VOUCHERS", "amount": "1", "reason": "r"},
            )
            assert (reply.status_code, reply.headers["location"]) == (303, "/dashboard/login")
    with httpx.Client(base_url=project.base_url, cookies={"ov_dashboard": "forged.c"}) as forged:
        assert forged.get(f"/dashboard/p/{project.id}/vouchers").status_code == 303
    assert http.get("/v1/campaigns").json()["total"] == 1
    assert http.get("/v1/vouchers/NOSESSION-1").json()["gift"]["balance"] == 5000


def test_app_key_session_stays_in_its_project(
    server: RunningServer, project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """An app-key session cannot read or change another project, however the URL is written."""
    other = new_project(server, "other project")
    with other.client() as other_http:
        gift_card(other_http, "THEIRS-1")
    token = csrf_of(dash.get(f"/dashboard/p/{project.id}/vouchers").text)
    for path in ("", "/vouchers", "/vouchers/THEIRS-1", "/developers/keys", "/campaigns"):
        reply = dash.get(f"/dashboard/p/{other.id}{path}")
        assert reply.status_code == 404, path
        assert "THEIRS-1" not in reply.text
        assert other.app_token[-4:] not in reply.text
    tampered = dash.post(
        f"/dashboard/p/{other.id}/vouchers/THEIRS-1/balance",
        data={"csrf": token, "amount": "-50.00", "reason": "theft"},
    )
    assert tampered.status_code == 404
    # The other project's code through this project's URL: not found, not changed.
    assert dash.get(f"/dashboard/p/{project.id}/vouchers/THEIRS-1").status_code == 404
    crossed = dash.post(
        f"/dashboard/p/{project.id}/vouchers/THEIRS-1/balance",
        data={"csrf": token, "amount": "-50.00", "reason": "theft"},
    )
    assert crossed.status_code == 404
    with other.client() as other_http:
        assert other_http.get("/v1/vouchers/THEIRS-1").json()["gift"]["balance"] == 5000
    assert "other project" not in dash.get(f"/dashboard/p/{project.id}").text


def test_management_session_switches_projects(server: RunningServer, project: Project) -> None:
    """A management key opens every project and offers the project switcher."""
    with sign_in(server.base_url, MANAGEMENT_ID, MANAGEMENT_TOKEN) as manager:
        page = manager.get(f"/dashboard/p/{project.id}")
        assert page.status_code == 200
        assert f'href="/dashboard/p/{project.id}"' in page.text
        assert "switcher" in page.text
        assert manager.get(f"/dashboard/p/{project.id}/vouchers").status_code == 200
        assert manager.get("/dashboard/p/proj_missing/vouchers").status_code == 404


def test_sign_in_refuses_wrong_keys(project: Project) -> None:
    """A wrong token is refused with a message, the key id kept, no session cookie set."""
    with httpx.Client(base_url=project.base_url) as client:
        token = csrf_of(client.get("/dashboard/login").text)
        reply = client.post(
            "/dashboard/login", data={"csrf": token, "key_id": project.app_id, "token": "nope"}
        )
        assert reply.status_code == 401
        assert "Unknown key id or wrong token" in reply.text
        assert f'value="{project.app_id}"' in reply.text
        assert "ov_dashboard" not in reply.headers.get("set-cookie", "")


def test_sign_in_form_needs_its_csrf_token(project: Project) -> None:
    """Right keys posted without the sign-in form's token (a cross-site post) open nothing."""
    keys = {"key_id": project.app_id, "token": project.app_token}
    with httpx.Client(base_url=project.base_url) as client:
        missing = client.post("/dashboard/login", data=keys)
        assert missing.status_code == 403
        client.get("/dashboard/login")
        forged = client.post("/dashboard/login", data={**keys, "csrf": "forged"})
        assert forged.status_code == 403
        assert "ov_dashboard" not in client.cookies


def test_session_cookie_is_signed_http_only_and_expires(project: Project) -> None:
    """The session cookie is HttpOnly, SameSite, scoped to /dashboard and expires."""
    with httpx.Client(base_url=project.base_url) as client:
        token = csrf_of(client.get("/dashboard/login").text)
        reply = client.post(
            "/dashboard/login",
            data={"csrf": token, "key_id": project.app_id, "token": project.app_token},
        )
    cookie = next(c for c in reply.headers.get_list("set-cookie") if c.startswith("ov_dashboard"))
    for part in ("httponly", "samesite=strict", "path=/dashboard", "max-age=28800"):
        assert part in cookie.lower()


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_forms_without_a_valid_csrf_token_are_refused(
    project: Project, http: httpx.Client, dash: httpx.Client, token: str | None
) -> None:
    """A form without the session's CSRF token is refused (403) and changes nothing."""
    gift_card(http, "CSRF-1")
    data = {"amount": "10.00", "reason": "r"}
    if token is not None:
        data["csrf"] = token
    reply = dash.post(f"/dashboard/p/{project.id}/vouchers/CSRF-1/balance", data=data)
    assert reply.status_code == 403
    assert "CSRF" in reply.text
    assert http.get("/v1/vouchers/CSRF-1").json()["gift"]["balance"] == 5000


def test_csrf_token_of_another_session_is_refused(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """One session's token does not work in another session."""
    gift_card(http, "CSRF-2")
    with sign_in(project.base_url, project.app_id, project.app_token) as second:
        theirs = csrf_of(second.get(f"/dashboard/p/{project.id}/vouchers").text)
    reply = dash.post(
        f"/dashboard/p/{project.id}/vouchers/CSRF-2/balance",
        data={"csrf": theirs, "amount": "10.00", "reason": "r"},
    )
    assert reply.status_code == 403
    assert http.get("/v1/vouchers/CSRF-2").json()["gift"]["balance"] == 5000


def test_stored_html_renders_as_text(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """A customer named <script>alert(1)</script> and HTML metadata are shown as text."""
    created = http.post(
        "/v1/customers",
        json={
            "source_id": "xss",
            "name": "<script>alert(1)</script>",
            "metadata": {"note": "<img src=x onerror=alert(2)>"},
        },
    ).json()
    for path in (f"/customers/{created['id']}", "/customers"):
        html = dash.get(f"/dashboard/p/{project.id}{path}").text
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<img src=x" not in html
    page = dash.get(f"/dashboard/p/{project.id}/customers/{created['id']}")
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_stored_html_runs_no_script_in_the_browser(
    chromium: Any, project: Project, http: httpx.Client
) -> None:
    """In Chromium the hostile name shows literally and no dialog opens."""
    created = http.post(
        "/v1/customers", json={"source_id": "xss-b", "name": "<script>alert(1)</script>"}
    ).json()
    context = chromium.new_context(base_url=project.base_url)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/dashboard/login")
    page.fill("#f-key_id", project.app_id)
    page.fill("#f-token", project.app_token)
    page.click("button[type=submit]")
    page.goto(f"/dashboard/p/{project.id}/customers/{created['id']}")
    assert page.inner_text("#customer-name") == "<script>alert(1)</script>"
    context.close()
    assert dialogs == []


def test_sign_out_ends_the_session(project: Project, dash: httpx.Client) -> None:
    """After signing out, the old cookie opens nothing."""
    cookie = dash.cookies["ov_dashboard"]
    token = csrf_of(dash.get(f"/dashboard/p/{project.id}").text)
    out = dash.post("/dashboard/logout", data={"csrf": token})
    assert (out.status_code, out.headers["location"]) == (303, "/dashboard/login")
    with httpx.Client(base_url=project.base_url, cookies={"ov_dashboard": cookie}) as replay:
        assert replay.get(f"/dashboard/p/{project.id}").status_code == 303
