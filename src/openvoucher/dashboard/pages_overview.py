"""The project overview: counts and server-rendered SVG charts."""

from __future__ import annotations

import threading
import time
from typing import Any

from starlette.responses import Response

from openvoucher.dashboard.charts import Chart, grouped
from openvoucher.dashboard.web import Page, Pages
from openvoucher.platform import overview as stats

pages = Pages()

SENDOUT_STATUSES = ("DELIVERED", "PENDING", "FAILED")
FRESH_SECONDS = 30.0
"""Overview figures are reused this long (summing 100 000 gift cards costs ~0.1 s on SQLite);
``?fresh=1`` recomputes them at once."""

_LOCK = threading.Lock()
_RECENT: dict[str, tuple[float, dict[str, Any]]] = {}


def figures_of(page: Page) -> dict[str, Any]:
    """The project's overview figures, at most :data:`FRESH_SECONDS` old."""
    now = time.monotonic()
    with _LOCK:
        kept = _RECENT.get(page.project_id)
    if kept is not None and kept[0] > now and not page.query.get("fresh"):
        return kept[1]
    zone = page.extra["project"].get("timezone")
    figures = stats.overview(page.uow, page.project_id, zone)
    figures["computed_at"] = time.strftime("%H:%M:%S", time.gmtime())
    with _LOCK:
        if len(_RECENT) > 1000:
            _RECENT.clear()
        _RECENT[page.project_id] = (now + FRESH_SECONDS, figures)
    return figures


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
    figures = figures_of(page)
    outstanding = sum(left for _, left, _ in figures["gift"])
    return page.render(
        "overview.html", figures=figures, charts=charts(figures), outstanding=outstanding
    )
