"""``openvoucher seed FILE``: create the fixtures of a YAML/JSON file on a running server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from openvoucher.cli.remote import Remote
from openvoucher.platform import fixtures


def seed(remote: Remote, path: Path) -> None:
    """Load, plan and run; print what was created."""
    calls = fixtures.plan(fixtures.load(path))

    def send(call: fixtures.Call) -> Any:
        return remote.call(call.method, call.path, call.body)

    counts = fixtures.run(calls, send)
    listed = ", ".join(f"{n} {label}(s)" for label, n in counts.items()) or "nothing"
    click.echo(f"seeded {listed} from {path} on {remote.url}")
