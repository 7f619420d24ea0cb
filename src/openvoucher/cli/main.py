"""``openvoucher serve | migrate | keys``."""

from __future__ import annotations

from typing import Any

import click

from openvoucher.cli.errors import FriendlyGroup
from openvoucher.cli.remote import remote_from, remote_options
from openvoucher.config import load_settings


@click.group(cls=FriendlyGroup)
def main() -> None:
    """openvoucher: a self-hosted engine speaking the Voucherify v1 API."""


@main.command()
@click.option("--host", default=None, help="Interface to bind (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 8000).")
@click.option("--database-url", default=None, help="Overrides OPENVOUCHER_DATABASE_URL.")
@click.option("--dev", is_flag=True, default=False, help="Enable test features (time travel).")
def serve(host: str | None, port: int | None, database_url: str | None, dev: bool) -> None:
    """Run the API server (migrates the schema first)."""
    from openvoucher.cli.server import run_server

    settings = load_settings().with_overrides(
        host=host, port=port, database_url=database_url, dev_features=dev or None
    )
    run_server(settings)


@main.command()
@click.option("--database-url", default=None, help="Overrides OPENVOUCHER_DATABASE_URL.")
def migrate(database_url: str | None) -> None:
    """Bring the database schema up to date."""
    from openvoucher.adapters.db.engine import make_engine
    from openvoucher.adapters.db.migrate import upgrade

    settings = load_settings().with_overrides(database_url=database_url)
    upgrade(make_engine(settings.database_url))
    click.echo("schema is up to date")


@main.group(invoke_without_command=True)
@click.option("--database-url", default=None, help="Overrides OPENVOUCHER_DATABASE_URL.")
@click.pass_context
def keys(ctx: click.Context, database_url: str | None) -> None:
    """Show the default project's keys and the management keys."""
    from openvoucher.bootstrap import build
    from openvoucher.cli.keys import print_keys

    settings = load_settings().with_overrides(database_url=database_url)
    container = build(settings)
    ctx.obj = container
    if ctx.invoked_subcommand is None:
        print_keys(container)


@keys.command("create-project")
@click.argument("name")
@click.pass_obj
def create_project(container: object, name: str) -> None:
    """Create a project with its own keys and print them."""
    from openvoucher.cli.keys import create_project_and_print

    create_project_and_print(container, name)


@keys.command("add")
@click.option("--project", "project_id", default=None, help="Project id (default project).")
@click.pass_obj
def add_key(container: object, project_id: str | None) -> None:
    """Add a server-side key pair to a project and print it."""
    from openvoucher.cli.keys import add_key_and_print

    add_key_and_print(container, project_id)


@main.command()
@click.option("--database-url", default=None, help="Overrides OPENVOUCHER_DATABASE_URL.")
@click.option("--poll-interval", type=float, default=0.2, help="Seconds between outbox polls.")
@click.option("--per-endpoint", type=int, default=4, help="Concurrent requests per endpoint.")
def worker(database_url: str | None, poll_interval: float, per_endpoint: int) -> None:
    """Relay webhooks in this process (run several against PostgreSQL)."""
    from openvoucher.cli.webhooks import run_worker
    from openvoucher.webhooks.relay import RelayOptions

    settings = load_settings().with_overrides(database_url=database_url)
    run_worker(settings, RelayOptions(poll_interval=poll_interval, per_channel=per_endpoint))


@main.group("webhooks")
@click.option("--database-url", default=None, help="Overrides OPENVOUCHER_DATABASE_URL.")
@click.option("--project", "project_id", default=None, help="Project id (default project).")
@click.pass_context
def webhooks_group(ctx: click.Context, database_url: str | None, project_id: str | None) -> None:
    """Inspect and retry webhook sendouts."""
    from openvoucher.bootstrap import build

    settings = load_settings().with_overrides(database_url=database_url, run_relay=False)
    ctx.obj = (build(settings), project_id)


@webhooks_group.command("list")
@click.option("--status", default=None, help="PENDING, DELIVERED or FAILED.")
@click.option("--limit", type=int, default=20)
@click.pass_obj
def webhooks_list(obj: tuple[Any, str | None], status: str | None, limit: int) -> None:
    """The newest sendouts."""
    from openvoucher.cli.webhooks import print_list

    print_list(obj[0], obj[1], status, limit)


@webhooks_group.command("show")
@click.argument("sendout_id")
@click.pass_obj
def webhooks_show(obj: tuple[Any, str | None], sendout_id: str) -> None:
    """One sendout with its attempts and payload."""
    from openvoucher.cli.webhooks import show

    show(obj[0], obj[1], sendout_id)


@webhooks_group.command("retry")
@click.argument("sendout_id")
@click.pass_obj
def webhooks_retry(obj: tuple[Any, str | None], sendout_id: str) -> None:
    """Send a sendout again now."""
    from openvoucher.cli.webhooks import retry

    retry(obj[0], obj[1], sendout_id)


@main.group("clock")
def clock_group() -> None:
    """Time travel on a running `serve --dev` server (server-wide clock)."""


@clock_group.command("show")
@remote_options
def clock_show(**kw: Any) -> None:
    """Print the server's current time and whether it is frozen."""
    from openvoucher.cli import clock

    clock.show(remote_from(kw))


@clock_group.command("set")
@click.argument("instant")
@remote_options
def clock_set(instant: str, **kw: Any) -> None:
    """Jump to INSTANT (ISO 8601); forward jumps run what falls due on the way."""
    from openvoucher.cli import clock

    clock.move(remote_from(kw), {"set": instant})


@clock_group.command("advance")
@click.argument("duration")
@remote_options
def clock_advance(duration: str, **kw: Any) -> None:
    """Move forward by DURATION (30d, 2h, 12mo, 1y, PT2H, P1M or seconds), in order."""
    from openvoucher.cli import clock

    clock.move(remote_from(kw), {"advance": duration})


@clock_group.command("freeze")
@remote_options
def clock_freeze(**kw: Any) -> None:
    """Stop the clock where it stands."""
    from openvoucher.cli import clock

    clock.move(remote_from(kw), {"freeze": True})


@clock_group.command("unfreeze")
@remote_options
def clock_unfreeze(**kw: Any) -> None:
    """Let the clock run again from where it stands."""
    from openvoucher.cli import clock

    clock.move(remote_from(kw), {"freeze": False})
