"""Dashboard actions beyond the journeys: more codes, CSV export, enable/disable, webhook pause
and secret, redemption rollback with a reason; each seen through the API afterwards."""

from __future__ import annotations

import time

import httpx

from tests.dashboard.conftest import csrf_of
from tests.dashboard.test_security import gift_card
from tests.support.server import Project, RunningServer


def _wait_done(dash: httpx.Client, location: str) -> str:
    """The action page once its action has finished."""
    for _ in range(100):
        html = dash.get(location).text
        if "DONE · 100 %" in html:
            return html
        time.sleep(0.1)
    raise AssertionError("the action never finished")


def test_generate_codes_and_export_them(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """Five more codes through an async action, then a CSV export of the campaign's codes."""
    card = gift_card(http, "GEN-1")
    path = f"/dashboard/p/{project.id}/campaigns/{card['campaign_id']}"
    token = csrf_of(dash.get(path).text)
    made = dash.post(path + "/vouchers", data={"csrf": token, "count": "5"})
    assert made.status_code == 303
    assert "/actions/" in made.headers["location"]
    _wait_done(dash, made.headers["location"])
    assert http.get(f"/v1/campaigns/{card['campaign_id']}").json()["vouchers_count"] == 6
    progress = dash.get(made.headers["location"] + "/progress").json()
    assert progress == {"status": "DONE", "progress": 100}

    exported = dash.post(path + "/export", data={"csrf": token})
    assert exported.status_code == 303
    html = _wait_done(dash, exported.headers["location"])
    link = html.split('" id="download"')[0].rsplit('href="', 1)[1]
    reply = dash.get(link)
    assert reply.headers["content-type"].startswith("text/csv")
    csv_text = reply.text
    assert "GEN-1" in csv_text
    assert len(csv_text.strip().splitlines()) == 7


def test_bad_code_count_is_reported_and_generates_nothing(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """A count that is not a number comes back as a message on the campaign page."""
    card = gift_card(http, "GEN-2")
    path = f"/dashboard/p/{project.id}/campaigns/{card['campaign_id']}"
    token = csrf_of(dash.get(path).text)
    reply = dash.post(
        path + "/vouchers", data={"csrf": token, "count": "many"}, follow_redirects=True
    )
    assert "is not a whole number" in reply.text
    assert http.get(f"/v1/campaigns/{card['campaign_id']}").json()["vouchers_count"] == 1


def test_enable_and_disable(project: Project, http: httpx.Client, dash: httpx.Client) -> None:
    """Campaign and voucher switches act as the API's enable/disable."""
    card = gift_card(http, "SW-1")
    base = f"/dashboard/p/{project.id}"
    token = csrf_of(dash.get(base).text)
    dash.post(f"{base}/vouchers/SW-1/active", data={"csrf": token, "active": "false"})
    assert http.get("/v1/vouchers/SW-1").json()["active"] is False
    dash.post(f"{base}/vouchers/SW-1/active", data={"csrf": token, "active": "true"})
    assert http.get("/v1/vouchers/SW-1").json()["active"] is True
    campaign = f"{base}/campaigns/{card['campaign_id']}"
    dash.post(campaign + "/active", data={"csrf": token, "active": "false"})
    assert http.get(f"/v1/campaigns/{card['campaign_id']}").json()["active"] is False


def test_webhook_pause_edit_and_secret(
    server: RunningServer, project: Project, dash: httpx.Client
) -> None:
    """An endpoint is paused, edited and its signing secret revealed only on request."""
    base = f"/dashboard/p/{project.id}/developers/webhooks"
    token = csrf_of(dash.get(base).text)
    dash.post(
        base,
        data={"csrf": token, "target_url": "https://example.com/a", "events": "voucher.published"},
    )
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as client:
        (hook,) = client.get(f"/management/v1/projects/{project.id}/webhooks").json()["data"]
        page = dash.get(f"{base}/{hook['id']}").text
        assert project.webhook_token not in page
        dash.post(f"{base}/{hook['id']}/active", data={"csrf": token, "active": "false"})
        edited = dash.post(
            f"{base}/{hook['id']}",
            data={
                "csrf": token,
                "target_url": "https://example.com/b",
                "events": "voucher.published\nvoucher.updated",
            },
        )
        assert edited.status_code == 303
        stored = client.get(f"/management/v1/projects/{project.id}/webhooks/{hook['id']}").json()
    assert stored["active"] is False
    assert stored["target_url"] == "https://example.com/b"
    assert stored["events"] == ["voucher.published", "voucher.updated"]
    revealed = dash.post(f"{base}/{hook['id']}/secret", data={"csrf": token})
    assert f'<code id="secret">{project.webhook_token}</code>' in revealed.text


def test_rollback_with_a_reason(project: Project, http: httpx.Client, dash: httpx.Client) -> None:
    """A redemption rolled back from its page returns the credits and records the reason."""
    gift_card(http, "RB-1")
    redeemed = http.post(
        "/v1/redemptions",
        json={"redeemables": [{"object": "voucher", "id": "RB-1"}], "order": {"amount": 1500}},
    ).json()
    redemption_id = redeemed["redemptions"][0]["id"]
    path = f"/dashboard/p/{project.id}/redemptions/{redemption_id}"
    token = csrf_of(dash.get(path).text)
    empty = dash.post(path + "/rollback", data={"csrf": token, "reason": ""})
    assert empty.status_code == 422
    assert http.get("/v1/vouchers/RB-1").json()["gift"]["balance"] == 3500
    done = dash.post(path + "/rollback", data={"csrf": token, "reason": "Customer returned it"})
    assert done.status_code == 303
    rollback = dash.get(done.headers["location"]).text
    assert "Customer returned it" in rollback
    assert http.get("/v1/vouchers/RB-1").json()["gift"]["balance"] == 5000


def test_webhook_custom_headers(
    server: RunningServer, project: Project, dash: httpx.Client
) -> None:
    """Custom headers typed as lines are stored; a line without a colon is refused at the field."""
    base = f"/dashboard/p/{project.id}/developers/webhooks"
    token = csrf_of(dash.get(base).text)
    form = {"csrf": token, "target_url": "https://example.com/h", "events": "voucher.published"}
    bad = dash.post(base, data={**form, "headers": "X-Team platform"})
    assert bad.status_code == 422
    assert "Name: value" in bad.text
    assert "X-Team platform" in bad.text
    good = dash.post(base, data={**form, "headers": "X-Team: platform\nX-Env: test"})
    assert good.status_code == 303
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as client:
        (hook,) = client.get(f"/management/v1/projects/{project.id}/webhooks").json()["data"]
    assert hook["headers"] == {"X-Team": "platform", "X-Env": "test"}


def test_loyalty_tiers(project: Project, http: httpx.Client, dash: httpx.Client) -> None:
    """Tiers are added with their points ranges; an overlapping range is refused at the form;
    a member's tier shows on their customer page."""
    programme = http.post(
        "/v1/loyalties",
        json={"name": "Tiered", "voucher": {"type": "LOYALTY_CARD", "loyalty_card": {"points": 0}}},
    ).json()
    path = f"/dashboard/p/{project.id}/loyalty/{programme['id']}"
    token = csrf_of(dash.get(path).text)
    added = dash.post(
        path + "/tiers",
        data={"csrf": token, "tier_name": "Silver", "tier_from": "0", "tier_to": "499"},
    )
    assert added.status_code == 303
    dash.post(path + "/tiers", data={"csrf": token, "tier_name": "Gold", "tier_from": "500"})
    overlap = dash.post(
        path + "/tiers",
        data={"csrf": token, "tier_name": "Bronze", "tier_from": "100", "tier_to": "200"},
    )
    assert overlap.status_code == 422
    assert 'value="Bronze"' in overlap.text
    names = [t["name"] for t in http.get(f"/v1/loyalties/{programme['id']}/tiers").json()["data"]]
    assert names == ["Silver", "Gold"]
    assert "∞" in dash.get(path).text
    member = http.post(
        f"/v1/loyalties/{programme['id']}/members", json={"customer": {"source_id": "tiered-1"}}
    ).json()
    topped = http.post(f"/v1/loyalties/members/{member['id']}/balance", json={"points": 600})
    assert topped.status_code == 200, topped.text
    customer = dash.get(f"/dashboard/p/{project.id}/customers/{member['holder_id']}").text
    assert '<td class="tier-name">Gold</td>' in customer
