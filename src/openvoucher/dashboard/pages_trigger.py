"""Developers: send a test event, as ``openvoucher trigger`` does — the same scenarios (real
API calls on throwaway fixtures) against this server, with one of the project's app keys."""

from __future__ import annotations

from typing import Any

import click
from starlette.responses import Response

from openvoucher.cli.remote import Remote
from openvoucher.cli.scenarios import scenarios
from openvoucher.cli.trigger_fixtures import Fixtures
from openvoucher.dashboard.web import Page, Pages

pages = Pages()

LOOPBACK_HOSTS = {"0.0.0.0", "127.0.0.1", "localhost", "::", "::1"}


def own_url(settings: Any) -> str:
    """Where this server answers itself: loopback when it listens there, else its base URL."""
    if settings.host in LOOPBACK_HOSTS:
        return f"http://127.0.0.1:{settings.port}"
    return str(settings.base_url)


def _events() -> list[tuple[str, str]]:
    return [
        (event, (entry.run.__doc__ or "").strip().splitlines()[0])
        for event, entry in sorted(scenarios().items())
    ]


@pages.get("/developers/trigger")
def trigger_form(page: Page) -> Response:
    """The events a test can make happen."""
    return page.render("trigger.html", events=_events(), outcome=None)


@pages.post("/developers/trigger")
def trigger(page: Page) -> Response:
    """Run the event's scenario as the project; the fixtures' suffix and the events it makes."""
    event = page.field("event")
    found = scenarios().get(event)
    if found is None:
        errors = {"event": "Choose an event from the list."}
        return page.render("trigger.html", 422, events=_events(), outcome=None, errors=errors)
    key = page.extra["project"]["app_keys"][0]
    remote = Remote(own_url(page.container.settings), key["key_id"], key["token"])
    fixtures = Fixtures.on(remote)
    try:
        found.run(fixtures)
    except click.ClickException as error:
        errors = {"event": f"The scenario failed: {error.format_message()}"}
        return page.render("trigger.html", 422, events=_events(), outcome=None, errors=errors)
    outcome = {
        "event": event,
        "events": found.events,
        "suffix": fixtures.suffix,
        "notes": fixtures.notes,
    }
    return page.render("trigger.html", events=_events(), outcome=outcome, values={"event": event})
