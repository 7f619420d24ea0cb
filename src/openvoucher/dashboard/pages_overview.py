"""The project overview: counts and server-rendered SVG charts."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from openvoucher.dashboard.charts import Chart, grouped
from openvoucher.dashboard.web import Page, Pages
from openvoucher.services import overview as stats

pages = Pages()

SENDOUT_STATUSES = ("DELIVERED", "PENDING", "FAILED")


def charts(figures: dict[str, Any]) -> list[Chart]:
    """The overview's four charts from the figures of :func:`stats.overview`."""
    per_day = [(day[5:], (ok, failed)) for day, ok, failed in figures["redemptions"]]
    weeks = [(week[5:], (e, s, x)) for week, e, s, x in figures["points"]]
    gift = [(name[:14], (left // 100,)) for name, left, _ in figures["gift"]]
    sent = [(status, (figures["sendouts"].get(status, 0),)) for status in SENDOUT_STATUSES]
    return [
        grouped("Redemptions per day (30 days)", ("succeeded", "failed"), per_day, 5),
        grouped("Gift credits outstanding by campaign", ("credits",), gift),
        grouped("Loyalty points per week", ("earned", "spent", "expired"), weeks, 2),
        grouped("Webhook deliveries by status (30 days)", ("sendouts",), sent),
    ]


@pages.get("")
def overview(page: Page) -> Response:
    """The project's front page."""
    zone = page.extra["project"].get("timezone")
    figures = stats.overview(page.uow, page.project_id, zone)
    outstanding = sum(left for _, left, _ in figures["gift"])
    return page.render(
        "overview.html", figures=figures, charts=charts(figures), outstanding=outstanding
    )
