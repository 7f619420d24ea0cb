"""Bad input in dashboard forms: a message next to the field, the form kept filled, nothing
stored; good input goes through the same use cases as the API."""

from __future__ import annotations

import re

import httpx

from tests.dashboard.conftest import csrf_of
from tests.dashboard.test_security import gift_card
from tests.support.server import Project, RunningServer


def _error_of(html: str, field: str) -> str:
    found = re.search(rf'<span class="error" id="e-{field}">([^<]*)</span>', html)
    assert found is not None, f"no message next to {field}"
    return found.group(1)


def test_bad_campaign_form_keeps_input_and_stores_nothing(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """A gift campaign with an unreadable amount: message at the amount, input kept, no campaign."""
    token = csrf_of(dash.get(f"/dashboard/p/{project.id}/campaigns/new").text)
    form = {
        "csrf": token,
        "campaign_type": "GIFT_VOUCHERS",
        "name": "Spring <b>cards</b>",
        "vouchers_count": "5",
        "prefix": "SP-",
        "length": "8",
        "amount": "12.345",
    }
    reply = dash.post(f"/dashboard/p/{project.id}/campaigns/new", data=form)
    assert reply.status_code == 422
    assert "is not an amount" in _error_of(reply.text, "amount")
    assert 'value="Spring &lt;b&gt;cards&lt;/b&gt;"' in reply.text
    assert 'value="SP-"' in reply.text
    assert 'value="12.345"' in reply.text
    assert http.get("/v1/campaigns").json()["total"] == 0

    form["amount"] = "20"
    form["name"] = ""
    reply = dash.post(f"/dashboard/p/{project.id}/campaigns/new", data=form)
    assert reply.status_code == 422
    assert _error_of(reply.text, "name") == "A name is required."
    assert http.get("/v1/campaigns").json()["total"] == 0


def test_campaign_form_creates_through_the_use_case(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """A valid discount campaign is stored as the API would store it."""
    token = csrf_of(dash.get(f"/dashboard/p/{project.id}/campaigns/new").text)
    form = {
        "csrf": token,
        "campaign_type": "DISCOUNT_COUPONS",
        "name": "Ten off",
        "vouchers_count": "2",
        "prefix": "TEN-",
        "length": "6",
        "discount_kind": "PERCENT",
        "discount": "10",
    }
    reply = dash.post(f"/dashboard/p/{project.id}/campaigns/new", data=form)
    assert reply.status_code == 303
    campaign_id = reply.headers["location"].split("/campaigns/")[1].split("?")[0]
    stored = http.get(f"/v1/campaigns/{campaign_id}").json()
    assert stored["name"] == "Ten off"
    assert stored["voucher"]["discount"]["percent_off"] == 10
    assert stored["voucher"]["code_config"]["prefix"] == "TEN-"


def test_duplicate_campaign_name_is_shown_at_the_form(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """The use case's own refusal (a taken name) comes back on the kept form."""
    gift_card(http, "DUP-1")
    token = csrf_of(dash.get(f"/dashboard/p/{project.id}/campaigns/new").text)
    reply = dash.post(
        f"/dashboard/p/{project.id}/campaigns/new",
        data={
            "csrf": token,
            "campaign_type": "GIFT_VOUCHERS",
            "name": "Gifts DUP-1",
            "amount": "5",
            "vouchers_count": "0",
            "length": "8",
        },
    )
    assert reply.status_code == 422
    assert 'value="Gifts DUP-1"' in reply.text
    assert 'class="error"' in reply.text
    assert http.get("/v1/campaigns").json()["total"] == 1


def test_bad_balance_adjustment_is_refused_at_the_field(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """Unreadable or impossible adjustments: message at the field, reason kept, balance kept."""
    gift_card(http, "BAL-1")
    path = f"/dashboard/p/{project.id}/vouchers/BAL-1"
    token = csrf_of(dash.get(path).text)
    reply = dash.post(path + "/balance", data={"csrf": token, "amount": "ten", "reason": "Fix"})
    assert reply.status_code == 422
    assert "is not an amount" in _error_of(reply.text, "amount")
    assert 'value="Fix"' in reply.text
    reply = dash.post(path + "/balance", data={"csrf": token, "amount": "5", "reason": ""})
    assert _error_of(reply.text, "reason") == "A reason is required."
    assert 'value="5"' in reply.text
    reply = dash.post(
        path + "/balance", data={"csrf": token, "amount": "-80", "reason": "Too much"}
    )
    assert reply.status_code == 422
    assert 'class="error"' in reply.text
    card = http.get("/v1/vouchers/BAL-1").json()
    assert card["gift"]["balance"] == 5000
    assert http.get("/v1/vouchers/BAL-1/transactions").json()["data"] == []


def test_unknown_webhook_event_is_refused_at_the_field(
    server: RunningServer, project: Project, dash: httpx.Client
) -> None:
    """A misspelt event: message at the events box, URL kept, no endpoint stored."""
    token = csrf_of(dash.get(f"/dashboard/p/{project.id}/developers/webhooks").text)
    reply = dash.post(
        f"/dashboard/p/{project.id}/developers/webhooks",
        data={"csrf": token, "target_url": "https://example.com/h", "events": "voucher.nope"},
    )
    assert reply.status_code == 422
    assert "voucher.nope" in _error_of(reply.text, "events")
    assert 'value="https://example.com/h"' in reply.text
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as client:
        listed = client.get(f"/management/v1/projects/{project.id}/webhooks").json()
    assert listed["total"] == 0


def _create(dash: httpx.Client, project: Project, **fields: str) -> httpx.Response:
    token = csrf_of(dash.get(f"/dashboard/p/{project.id}/campaigns/new").text)
    return dash.post(f"/dashboard/p/{project.id}/campaigns/new", data={"csrf": token, **fields})


def test_referral_and_promotion_campaigns(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """A referral programme gets its codes; a promotion with one tier row gets that tier."""
    referral = _create(
        dash,
        project,
        campaign_type="REFERRAL_PROGRAM",
        name="Bring a friend",
        vouchers_count="1",
        length="6",
        discount_kind="AMOUNT",
        discount="5.00",
    )
    assert referral.status_code == 303, referral.text
    promotion = _create(
        dash,
        project,
        campaign_type="PROMOTION",
        name="Summer sale",
        description="Our summer promotion",
        tier_1_name="Summer sale",
        tier_1_banner="10% off everything",
        tier_1_discount_kind="PERCENT",
        tier_1_discount="10",
    )
    assert promotion.status_code == 303, promotion.text
    by_type = {c["campaign_type"]: c for c in http.get("/v1/campaigns").json()["campaigns"]}
    assert by_type["REFERRAL_PROGRAM"]["voucher"]["discount"]["amount_off"] == 500
    assert by_type["REFERRAL_PROGRAM"]["vouchers_count"] == 1
    tiers = http.get(f"/v1/promotions/{by_type['PROMOTION']['id']}/tiers").json()["tiers"]
    assert [(t["name"], t["banner"], t["action"]["discount"]["percent_off"]) for t in tiers] == [
        ("Summer sale", "10% off everything", 10)
    ]
    page = dash.get(promotion.headers["location"]).text
    assert "Promotion tiers" in page


def test_campaign_edit(project: Project, http: httpx.Client, dash: httpx.Client) -> None:
    """Description and dates change through the update use case; a bad date is refused."""
    card = gift_card(http, "EDIT-1")
    path = f"/dashboard/p/{project.id}/campaigns/{card['campaign_id']}"
    token = csrf_of(dash.get(path).text)
    bad = dash.post(path, data={"csrf": token, "description": "New", "expiration_date": "soon"})
    assert bad.status_code == 422
    assert 'value="soon"' in bad.text
    assert http.get(f"/v1/campaigns/{card['campaign_id']}").json()["description"] is None
    good = dash.post(
        path, data={"csrf": token, "description": "New", "expiration_date": "2030-01-31"}
    )
    assert good.status_code == 303
    stored = http.get(f"/v1/campaigns/{card['campaign_id']}").json()
    assert stored["description"] == "New"
    assert stored["expiration_date"].startswith("2030-01-31")
