"""``openvoucher seed FILE``: create the fixtures of a YAML/JSON file on a running server —
what exists is matched and left alone; when a call fails, what this run created is removed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from openvoucher.cli.remote import Remote, RemoteError
from openvoucher.cli.trigger_fixtures import REMOVAL
from openvoucher.platform import fixtures

SEED_REMOVAL = {
    **REMOVAL,
    "category": ("/v1/categories/{id}", "id"),
    "location": ("/v1/locations/{id}", "id"),
}
"""How a created object is removed when a later call fails (cards, rules and tiers go with
their programme, campaign vouchers with their campaign when it was created too)."""


def seed(remote: Remote, path: Path) -> None:
    """Load, plan and run; print what was created and what was matched."""
    calls = fixtures.plan(fixtures.load(path))
    outcome = fixtures.Outcome()

    def send(call: fixtures.Call) -> Any:
        try:
            return remote.call(call.method, call.path, call.body)
        except RemoteError as error:
            raise click.ClickException(f"{path}: {call.where}: {error.message}") from error

    def get(target: str) -> Any:
        try:
            return remote.call("GET", target)
        except RemoteError as error:
            if error.status == 404:
                return None
            raise

    try:
        fixtures.run(calls, send, get, outcome)
    except click.ClickException as error:
        removed = _remove(remote, outcome.made)
        raise click.ClickException(
            f"{error.message}; nothing seeded (removed the {removed} object(s) this run created)"
        ) from error
    click.echo(f"seeded {_counts(outcome.created)} from {path} on {remote.url}")
    if outcome.matched:
        click.echo(f"already there, left as they are: {_counts(outcome.matched)}")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {label}(s)" for label, n in counts.items()) or "nothing"


def _remove(remote: Remote, made: list[Any]) -> int:
    """Delete created objects, newest first; those gone with a parent are skipped."""
    removed = 0
    for item in reversed(made):
        kind = item.get("object") if isinstance(item, dict) else None
        if kind not in SEED_REMOVAL:
            continue
        path, key = SEED_REMOVAL[kind]
        try:
            remote.call("DELETE", path.format(id=item[key]))
            removed += 1
        except RemoteError as error:
            if error.status != 404:
                raise
    return removed
