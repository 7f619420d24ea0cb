"""``openvoucher clock show|set|advance|freeze|unfreeze``: the clock of the project whose keys
the CLI uses, on a running ``--dev`` server (other projects keep their own time)."""

from __future__ import annotations

from typing import Any

import click

from openvoucher.cli.remote import Remote


def _print(state: dict[str, Any]) -> None:
    for step in state.get("steps", []):
        expired = step["expired_point_buckets"]
        activated = step.get("activated_pending_points", 0)
        note = f"  expired {expired} point bucket(s)" if expired else ""
        note += f"  activated {activated} pending points entry(ies)" if activated else ""
        click.echo(f"  ran due work at {step['at']}{note}")
    pending = {k: v for k, v in state.get("pending", {}).items() if v}
    if pending:
        listed = ", ".join(f"{k}={v}" for k, v in pending.items())
        click.echo(f"  still open after waiting: {listed}")
    click.echo(f"{state['now']} ({'frozen' if state['frozen'] else 'running'})")


def show(remote: Remote) -> None:
    """Print the project's time."""
    _print(remote.call("GET", "/v1/_test/clock"))


def move(remote: Remote, body: dict[str, Any]) -> None:
    """POST a move and print where the clock stands."""
    _print(remote.call("POST", "/v1/_test/clock", body))
