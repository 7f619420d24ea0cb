"""``openvoucher trigger <event>`` and ``--list``: make a real event happen on a running server."""

from __future__ import annotations

import click

from openvoucher.cli.remote import Remote
from openvoucher.cli.scenarios import scenarios
from openvoucher.cli.trigger_fixtures import Fixtures


def print_list() -> None:
    """Every event that can be triggered, with what the trigger does."""
    for event, entry in sorted(scenarios().items()):
        summary = (entry.run.__doc__ or "").strip().splitlines()[0]
        click.echo(f"{event:<48} {summary}")


def trigger(remote: Remote, event: str) -> None:
    """Run the scenario of ``event`` (404-style error for an unknown one)."""
    found = scenarios().get(event)
    if found is None:
        raise click.ClickException(
            f"cannot trigger '{event}'; `openvoucher trigger --list` shows what can be"
        )
    fixtures = Fixtures.on(remote)
    try:
        found.run(fixtures)
    finally:
        removed = fixtures.remove()
    for note in fixtures.notes:
        click.echo(f"note: {note}")
    also = [name for name in found.events if name != event]
    extra = f" (with {', '.join(also)})" if also else ""
    click.echo(
        f"triggered {event}{extra} on {remote.url}; removed its {removed} fixture(s) "
        f"named *-{fixtures.suffix}"
    )
