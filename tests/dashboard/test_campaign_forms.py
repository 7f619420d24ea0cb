"""The campaign form's promotion tiers (several, checked by the API's tier schema), a referral
programme's settings (on creation and on the campaign page) and metadata: stored as the API
stores them, bad input shown next to its field with nothing stored; the referral form in
Chromium."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.dashboard.conftest import csrf_of, screenshot
from tests.support.server import Project, RunningServer


def _error_of(html: str, field: str) -> str:
    found = re.search(rf'<span class="error" id="e-{field}">([^<]*)</span>', html)
    assert found is not None, f"no message next to {field}"
    return found.group(1)


def _form(dash: httpx.Client, project: Project, **fields: str) -> dict[str, str]:
    token = csrf_of(dash.get(f"/dashboard/p/{project.id}/campaigns/new").text)
    return {"csrf": token, **fields}


def _created_id(reply: httpx.Response) -> str:
    assert reply.status_code == 303, reply.text
    return reply.headers["location"].split("/campaigns/")[1].split("?")[0]


TIERS = {
    "tier_rows": "3",
    "tier_1_name": "Ten off big baskets",
    "tier_1_discount_kind": "PERCENT",
    "tier_1_discount": "10",
    "tier_2_name": "Five euro off",
    "tier_2_banner": "5.00 off today",
    "tier_2_discount_kind": "AMOUNT",
    "tier_2_discount": "5.00",
}


def test_promotion_form_creates_every_filled_tier(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """Two filled tier rows (the third left empty) become two tiers, in order."""
    form = _form(dash, project, campaign_type="PROMOTION", name="Spring promo", **TIERS)
    campaign_id = _created_id(dash.post(f"/dashboard/p/{project.id}/campaigns/new", data=form))
    stored = http.get(f"/v1/promotions/{campaign_id}/tiers").json()["tiers"]
    by_name = {tier["name"]: tier for tier in stored}
    assert sorted(by_name) == ["Five euro off", "Ten off big baskets"]
    assert by_name["Ten off big baskets"]["action"]["discount"]["percent_off"] == 10
    assert by_name["Five euro off"]["action"]["discount"]["amount_off"] == 500
    assert by_name["Five euro off"]["banner"] == "5.00 off today"
    assert by_name["Ten off big baskets"]["hierarchy"] < by_name["Five euro off"]["hierarchy"]
    page = dash.get(f"/dashboard/p/{project.id}/campaigns/{campaign_id}").text
    assert "Five euro off" in page
    assert "5.00 off" in page


def test_bad_tier_row_is_shown_at_its_field(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """A tier with 150 % off, or a discount without a name: the message sits at that row's
    field, every row is kept, and no campaign is stored."""
    fields = {**TIERS, "tier_2_discount_kind": "PERCENT", "tier_2_discount": "150"}
    fields["tier_3_discount"] = "7"
    form = _form(dash, project, campaign_type="PROMOTION", name="Broken promo", **fields)
    reply = dash.post(f"/dashboard/p/{project.id}/campaigns/new", data=form)
    assert reply.status_code == 422
    assert "at most 100" in _error_of(reply.text, "tier_2_discount")
    assert "name is required" in _error_of(reply.text, "tier_3_name")
    assert 'value="Ten off big baskets"' in reply.text
    assert 'value="150"' in reply.text
    none = _form(dash, project, campaign_type="PROMOTION", name="Empty promo", tier_rows="3")
    reply = dash.post(f"/dashboard/p/{project.id}/campaigns/new", data=none)
    assert "at least one tier" in _error_of(reply.text, "tier_1_name")
    assert http.get("/v1/campaigns").json()["total"] == 0


def test_more_tier_rows_without_javascript(project: Project, dash: httpx.Client) -> None:
    """A plain link asks for more tier rows (bounded at 20)."""
    page = dash.get(f"/dashboard/p/{project.id}/campaigns/new?type=PROMOTION&tiers=5").text
    assert 'id="f-tier_5_name"' in page
    assert 'id="f-tier_6_name"' not in page
    page = dash.get(f"/dashboard/p/{project.id}/campaigns/new?tiers=99").text
    assert 'id="f-tier_20_name"' in page
    assert 'id="f-tier_21_name"' not in page


def _gift_campaign(http: httpx.Client, name: str) -> dict[str, Any]:
    body = {
        "name": name,
        "campaign_type": "GIFT_VOUCHERS",
        "voucher": {"type": "GIFT_VOUCHER", "gift": {"amount": 1000}},
    }
    reply = http.post("/v1/campaigns", json=body)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


REFERRAL = {
    "campaign_type": "REFERRAL_PROGRAM",
    "vouchers_count": "0",
    "discount_kind": "PERCENT",
    "discount": "15",
    "conversion_event_type": "custom_event",
    "custom_event_name": "signed_up",
    "referee_reward_type": "GIFT_VOUCHER",
    "referee_reward_amount": "7.50",
}


def test_referral_form_stores_the_programme_settings(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """Conversion on a custom event and a 7.50 referee reward, as the API stores them; then
    changed on the campaign page."""
    gifts = _gift_campaign(http, "Welcome credits")
    fields = {**REFERRAL, "referee_reward_campaign": gifts["id"]}
    form = _form(dash, project, name="Friends", **fields)
    campaign_id = _created_id(dash.post(f"/dashboard/p/{project.id}/campaigns/new", data=form))
    stored = http.get(f"/v1/campaigns/{campaign_id}").json()["referral_program"]
    assert stored["conversion_event_type"] == "custom_event"
    assert stored["custom_event"]["name"] == "signed_up"
    assert stored["referee_reward"]["amount"] == 750
    assert stored["referee_reward"]["related_object_parent"]["id"] == gifts["id"]

    page = dash.get(f"/dashboard/p/{project.id}/campaigns/{campaign_id}").text
    assert 'value="signed_up"' in page
    edit = {
        "csrf": csrf_of(page),
        "conversion_event_type": "custom_event",
        "custom_event_name": "first_order",
        "referee_reward_type": "",
    }
    reply = dash.post(f"/dashboard/p/{project.id}/campaigns/{campaign_id}/referral", data=edit)
    assert reply.status_code == 303, reply.text
    stored = http.get(f"/v1/campaigns/{campaign_id}").json()["referral_program"]
    assert stored["custom_event"]["name"] == "first_order"
    assert stored["referee_reward"] is None


def test_bad_referral_settings_are_shown_at_their_fields(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """A referee reward from a campaign that is no gift campaign, or a custom event without a
    name: refused at the field, input kept, nothing stored or changed."""
    fields = {**REFERRAL, "referee_reward_campaign": "no such campaign"}
    form = _form(dash, project, name="Friends", **fields)
    reply = dash.post(f"/dashboard/p/{project.id}/campaigns/new", data=form)
    assert reply.status_code == 422
    assert "is no GIFT_VOUCHERS campaign" in _error_of(reply.text, "referee_reward_campaign")
    assert 'value="no such campaign"' in reply.text
    assert http.get("/v1/campaigns").json()["total"] == 0

    form = _form(dash, project, name="Friends", **{**REFERRAL, "referee_reward_type": ""})
    campaign_id = _created_id(dash.post(f"/dashboard/p/{project.id}/campaigns/new", data=form))
    page = dash.get(f"/dashboard/p/{project.id}/campaigns/{campaign_id}").text
    edit = {"csrf": csrf_of(page), "conversion_event_type": "custom_event"}
    reply = dash.post(f"/dashboard/p/{project.id}/campaigns/{campaign_id}/referral", data=edit)
    assert reply.status_code == 422
    assert "required" in _error_of(reply.text, "custom_event_name")
    stored = http.get(f"/v1/campaigns/{campaign_id}").json()["referral_program"]
    assert stored["custom_event"]["name"] == "signed_up"


def test_metadata_and_join_once_on_create_and_edit(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """Metadata typed as ``key: value`` lines and *join once* are stored; a line without a
    colon is refused at the field; editing replaces the metadata (left-out keys unset)."""
    fields = {"campaign_type": "DISCOUNT_COUPONS", "discount_kind": "PERCENT", "discount": "5"}
    bad = _form(dash, project, name="Tagged", metadata="region north", **fields)
    reply = dash.post(f"/dashboard/p/{project.id}/campaigns/new", data=bad)
    assert reply.status_code == 422
    assert "key: value" in _error_of(reply.text, "metadata")
    assert ">region north</textarea>" in reply.text
    assert http.get("/v1/campaigns").json()["total"] == 0
    good = _form(
        dash,
        project,
        name="Tagged",
        metadata="region: north\ntier: gold",
        join_once="true",
        **fields,
    )
    campaign_id = _created_id(dash.post(f"/dashboard/p/{project.id}/campaigns/new", data=good))
    stored = http.get(f"/v1/campaigns/{campaign_id}").json()
    assert stored["metadata"] == {"region": "north", "tier": "gold"}
    assert stored["join_once"] is True
    page = dash.get(f"/dashboard/p/{project.id}/campaigns/{campaign_id}").text
    shown = page.split('name="metadata"', 1)[1].split("</textarea>", 1)[0]
    assert sorted(shown.split(">", 1)[1].splitlines()) == ["region: north", "tier: gold"]
    edit = {"csrf": csrf_of(page), "description": "Spring", "metadata": "region: south"}
    reply = dash.post(f"/dashboard/p/{project.id}/campaigns/{campaign_id}", data=edit)
    assert reply.status_code == 303, reply.text
    stored = http.get(f"/v1/campaigns/{campaign_id}").json()
    assert stored["metadata"] == {"region": "south"}
    assert stored["description"] == "Spring"


def test_referral_settings_in_the_browser(
    browser_page: Any, project: Project, server: RunningServer, http: httpx.Client
) -> None:
    """In Chromium: a referral programme whose referee reward names no gift campaign is
    refused at that field with the form kept; corrected, it is created with its settings."""
    gifts = _gift_campaign(http, "Welcome gifts")
    page = browser_page
    page.goto(f"/dashboard/p/{project.id}/campaigns/new?type=REFERRAL_PROGRAM")
    page.select_option("#f-campaign_type", "REFERRAL_PROGRAM")
    page.fill("#f-name", "Invite friends")
    page.fill("#f-vouchers_count", "0")
    page.fill("#f-discount", "10")
    page.select_option("#f-conversion_event_type", "custom_event")
    page.fill("#f-custom_event_name", "first_purchase")
    page.select_option("#f-referee_reward_type", "GIFT_VOUCHER")
    page.fill("#f-referee_reward_campaign", "Nope")
    page.fill("#f-referee_reward_amount", "5.00")
    page.click("#campaign-form button[type=submit]")
    assert "is no GIFT_VOUCHERS campaign" in page.inner_text("#e-referee_reward_campaign")
    assert page.input_value("#f-custom_event_name") == "first_purchase"
    page.fill("#f-referee_reward_campaign", "Welcome gifts")
    page.click("#campaign-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/campaigns/camp_[^/?]+\?done=created$"))
    assert page.input_value("#f-custom_event_name") == "first_purchase"
    screenshot(page, "referral", server.backend)
    campaign_id = page.url.split("/campaigns/")[1].split("?")[0]
    stored = http.get(f"/v1/campaigns/{campaign_id}").json()["referral_program"]
    assert stored["referee_reward"]["related_object_parent"]["id"] == gifts["id"]
    assert stored["referee_reward"]["amount"] == 500
