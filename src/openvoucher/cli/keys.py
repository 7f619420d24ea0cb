"""Printing and creating keys from the command line."""

from __future__ import annotations

import shlex
from typing import Any

import click

from openvoucher.bootstrap import Container
from openvoucher.platform import projects


def _print_project(project: dict[str, Any]) -> None:
    click.echo(f"project {project['id']} ({project['name']})")
    for key in project.get("app_keys", []):
        click.echo(f"  X-App-Id:    {key['key_id']}")
        click.echo(f"  X-App-Token: {key['token']}")
    for key in project.get("client_keys", []):
        click.echo(f"  client-side X-Client-Application-Id: {key['key_id']}")
        click.echo(f"  client-side X-Client-Token:          {key['token']}")
    click.echo(f"  webhook token (x-voucherify-signature key): {project['webhook_token']}")


def print_keys(container: Container) -> None:
    """Print the default project's keys and the management keys."""
    _print_project(container.default_project)
    for key in projects.management_keys(container.uow):
        click.echo("management")
        click.echo(f"  X-Management-Id:    {key['key_id']}")
        click.echo(f"  X-Management-Token: {key['token']}")


def print_exports(container: Container) -> None:
    """``export`` lines for the default project's first key pair, the management keys and the
    server URL: what ``serve`` (fixed keys) and the CLI's remote commands read."""
    values = {"OPENVOUCHER_URL": container.settings.base_url}
    app_keys = container.default_project.get("app_keys", [])
    if app_keys:
        values["OPENVOUCHER_APP_ID"] = app_keys[0]["key_id"]
        values["OPENVOUCHER_APP_TOKEN"] = app_keys[0]["token"]
    management = projects.management_keys(container.uow)
    if management:
        values["OPENVOUCHER_MANAGEMENT_ID"] = management[0]["key_id"]
        values["OPENVOUCHER_MANAGEMENT_TOKEN"] = management[0]["token"]
    for name, value in values.items():
        click.echo(f"export {name}={shlex.quote(value)}")


def create_project_and_print(container: Any, name: str) -> None:
    """Create a project and print its keys."""
    _print_project(projects.create_project(container.uow, {"name": name}))


def add_key_and_print(container: Any, project_id: str | None) -> None:
    """Add a key pair to a project and print it."""
    target = project_id or container.default_project["id"]
    pair = projects.create_app_key(container.uow, target)
    click.echo(f"X-App-Id:    {pair.key_id}")
    click.echo(f"X-App-Token: {pair.token}")
