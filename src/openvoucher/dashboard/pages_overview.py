"""The project overview: counts and server-rendered SVG charts."""

from __future__ import annotations

from starlette.responses import Response

from openvoucher.dashboard.web import Page, Pages

pages = Pages()


@pages.get("")
def overview(page: Page) -> Response:
    """The project's front page."""
    return page.render("overview.html")
