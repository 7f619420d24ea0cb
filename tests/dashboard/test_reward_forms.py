"""The rewards page: every reward type the API supports (campaign voucher, credits or points;
pay with points; a product) created through ``POST /v1/rewards``'s rules, offered in a loyalty
programme for points; bad input shown next to its field, nothing stored; the same in Chromium."""

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


def _campaign(http: httpx.Client, name: str, kind: str) -> dict[str, Any]:
    vouchers = {
        "GIFT_VOUCHERS": {"type": "GIFT_VOUCHER", "gift": {"amount": 1000}},
        "LOYALTY_PROGRAM": {"type": "LOYALTY_CARD", "loyalty_card": {"points": 0}},
        "DISCOUNT_COUPONS": {
            "type": "DISCOUNT_VOUCHER",
            "discount": {"type": "PERCENT", "percent_off": 5},
        },
    }
    body = {"name": name, "campaign_type": kind, "voucher": vouchers[kind]}
    if kind == "LOYALTY_PROGRAM":
        body["type"] = "AUTO_UPDATE"
    reply = http.post("/v1/campaigns", json=body)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def _post(dash: httpx.Client, project: Project, path: str, **fields: str) -> httpx.Response:
    token = csrf_of(dash.get(f"/dashboard/p/{project.id}/rewards").text)
    return dash.post(f"/dashboard/p/{project.id}{path}", data={"csrf": token, **fields})


def test_every_reward_type_is_created(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """Gift credits, loyalty points, a discount coupon, pay with points and a product."""
    gifts = _campaign(http, "Credits", "GIFT_VOUCHERS")
    points = _campaign(http, "Other club", "LOYALTY_PROGRAM")
    coupons = _campaign(http, "Coupons", "DISCOUNT_COUPONS")
    product = http.post("/v1/products", json={"name": "Mug", "price": 900}).json()
    made = [
        {"name": "Ten credits", "kind": "CAMPAIGN", "campaign": gifts["id"], "balance": "10.00"},
        {"name": "Bonus points", "kind": "CAMPAIGN", "campaign": points["id"], "balance": "50"},
        {"name": "A coupon", "kind": "CAMPAIGN", "campaign": coupons["id"]},
        {"name": "Pay with points", "kind": "COIN", "exchange_ratio": "0.5", "points_ratio": "1"},
        {"name": "Free mug", "kind": "MATERIAL", "product": product["id"], "stock": "3"},
    ]
    for fields in made:
        reply = _post(dash, project, "/rewards", **fields)
        assert reply.status_code == 303, reply.text
    stored = {r["name"]: r for r in http.get("/v1/rewards").json()["data"]}
    assert stored["Ten credits"]["parameters"]["campaign"]["balance"] == 1000
    assert stored["Bonus points"]["parameters"]["campaign"]["balance"] == 50
    assert stored["A coupon"]["parameters"]["campaign"]["id"] == coupons["id"]
    assert stored["Pay with points"]["type"] == "COIN"
    assert stored["Pay with points"]["parameters"]["coin"]["points_ratio"] == 1
    assert stored["Free mug"]["type"] == "MATERIAL"
    assert stored["Free mug"]["stock"] == 3
    page = dash.get(f"/dashboard/p/{project.id}/rewards").text
    assert "Free mug" in page
    assert "0.5 off per 1 point" in page


def test_bad_reward_input_is_shown_at_its_field(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """No points ratio, a loyalty reward of 0 points, an unknown product: the message is at
    the field, the form kept filled, no reward stored."""
    points = _campaign(http, "Club", "LOYALTY_PROGRAM")
    reply = _post(dash, project, "/rewards", name="Coins <i>", kind="COIN", exchange_ratio="1")
    assert reply.status_code == 422
    assert _error_of(reply.text, "points_ratio") == "Enter a whole number."
    assert 'value="Coins &lt;i&gt;"' in reply.text
    reply = _post(
        dash,
        project,
        "/rewards",
        name="Nothing",
        kind="CAMPAIGN",
        campaign=points["id"],
        balance="0",
    )
    assert "at least 1" in _error_of(reply.text, "balance")
    reply = _post(dash, project, "/rewards", name="Ghost", kind="MATERIAL", product="prod_nope")
    assert reply.status_code == 422
    assert "prod_nope" in _error_of(reply.text, "product")
    assert 'value="prod_nope"' in reply.text
    assert http.get("/v1/rewards").json()["total"] == 0


def test_reward_offered_in_a_programme_for_points(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """An assignment with a points cost, as ``POST /v1/loyalties/{id}/rewards``; a missing
    cost is refused at the points field."""
    club = _campaign(http, "Club", "LOYALTY_PROGRAM")
    gifts = _campaign(http, "Credits", "GIFT_VOUCHERS")
    created = _post(
        dash, project, "/rewards", name="Five", kind="CAMPAIGN", campaign=gifts["id"], balance="5"
    )
    reward_id = created.headers["location"].split("created=")[1]
    bad = _post(dash, project, "/rewards/assignments", programme=club["id"], reward=reward_id)
    assert bad.status_code == 422
    assert "points" in _error_of(bad.text, "points")
    assert http.get(f"/v1/loyalties/{club['id']}/rewards").json()["total"] == 0
    good = _post(
        dash, project, "/rewards/assignments", programme=club["id"], reward=reward_id, points="200"
    )
    assert good.headers["location"].endswith(f"/loyalty/{club['id']}?done=reward")
    offered = http.get(f"/v1/loyalties/{club['id']}/rewards").json()["data"]
    programme_page = dash.get(f"/dashboard/p/{project.id}/loyalty/{club['id']}").text
    assert "<td>Five <small>" in programme_page
    assert [(a["reward_id"], a["parameters"]["loyalty"]["points"]) for a in offered] == [
        (reward_id, 200)
    ]


def test_multi_tier_promotion_and_reward_in_the_browser(
    browser_page: Any, project: Project, server: RunningServer, http: httpx.Client
) -> None:
    """In Chromium: a two-tier promotion, a refused reward with its message at the field, then
    the corrected reward listed."""
    page = browser_page
    base = f"/dashboard/p/{project.id}"
    page.goto(base + "/campaigns/new?type=PROMOTION")
    page.select_option("#f-campaign_type", "PROMOTION")
    page.fill("#f-name", "Weekend")
    page.fill("#f-tier_1_name", "Twenty off")
    page.fill("#f-tier_1_discount", "20")
    page.fill("#f-tier_2_name", "Three off")
    page.select_option("#f-tier_2_discount_kind", "AMOUNT")
    page.fill("#f-tier_2_discount", "3.00")
    page.click("#campaign-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/campaigns/camp_[^/?]+\?done=created$"))
    assert "Three off" in page.inner_text("#tiers")
    screenshot(page, "promotion", server.backend)

    page.goto(base + "/rewards")
    page.fill("#f-name", "Points as money")
    page.select_option("#f-kind", "COIN")
    page.fill("#f-exchange_ratio", "1")
    page.click("#reward-form button[type=submit]")
    assert page.inner_text("#e-points_ratio") == "Enter a whole number."
    assert page.input_value("#f-name") == "Points as money"
    page.fill("#f-points_ratio", "100")
    page.click("#reward-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/rewards\?done=reward.*"))
    assert "Points as money" in page.inner_text("#rewards")
    screenshot(page, "rewards", server.backend)
    assert http.get("/v1/rewards").json()["total"] == 1
