"""The overview's figures (counts, redemptions per day, gift credits, points per week,
deliveries by status) and its page of SVG charts."""

from __future__ import annotations

import httpx

from openvoucher.platform import overview
from tests.dashboard.test_security import gift_card
from tests.support.server import Project, RunningServer


def _redeem(http: httpx.Client, code: str, amount: int) -> httpx.Response:
    return http.post(
        "/v1/redemptions",
        json={"redeemables": [{"object": "voucher", "id": code}], "order": {"amount": amount}},
    )


def test_overview_figures(server: RunningServer, project: Project, http: httpx.Client) -> None:
    """Today's redemptions by result, credits left on active cards, points of this week."""
    gift_card(http, "OV-1")
    assert _redeem(http, "OV-1", 1200).status_code == 200
    gift_card(http, "OV-2")
    assert http.post("/v1/vouchers/OV-2/disable").status_code == 200
    assert _redeem(http, "OV-2", 100).status_code == 400
    programme = http.post(
        "/v1/loyalties",
        json={"name": "Club", "voucher": {"type": "LOYALTY_CARD", "loyalty_card": {"points": 0}}},
    ).json()
    member = http.post(
        f"/v1/loyalties/{programme['id']}/members", json={"customer": {"source_id": "m1"}}
    ).json()
    added = http.post(f"/v1/loyalties/members/{member['id']}/balance", json={"points": 40})
    assert added.status_code == 200, added.text
    figures = overview.overview(server.container.uow, project.id, "UTC")
    assert figures["counts"] == {"campaigns": 3, "vouchers": 3, "customers": 1, "orders": 1}
    today = figures["redemptions"][-1]
    assert today[0] == figures["today"]
    assert len(figures["redemptions"]) == 30
    assert today[1:] == (1, 1)
    assert figures["gift"] == [("Gifts OV-1", 3800, 1)]
    assert len(figures["points"]) == 12
    assert figures["points"][-1][1:] == (40, 0, 0)


def test_overview_page_draws_four_charts(project: Project, dash: httpx.Client) -> None:
    """The overview page is four inline SVG charts with the counts above them."""
    html = dash.get(f"/dashboard/p/{project.id}").text
    assert html.count("<svg ") == 4
    assert "Redemptions per day (30 days)" in html
    assert "Gift credits outstanding" in html


def test_unknown_time_zone_falls_back_to_utc() -> None:
    """A project time zone the system does not know is read as UTC."""
    assert overview.zone_of("Mars/Olympus").key == "UTC"
    assert overview.zone_of("Europe/Warsaw").key == "Europe/Warsaw"
