"""``openvoucher serve | migrate | keys``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from openvoucher import __version__
from openvoucher.cli.errors import FriendlyGroup
from openvoucher.cli.remote import remote_from, remote_options
from openvoucher.config import Settings, load_settings


@click.group(cls=FriendlyGroup)
@click.version_option(__version__, prog_name="openvoucher", message="%(prog)s %(version)s")
def main() -> None:
    """openvoucher: a self-hosted engine speaking the Voucherify v1 API."""


@main.command()
@click.option("--host", default=None, help="Interface to bind (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 8000).")
@click.option("--database-url", default=None, help="Overrides OPENVOUCHER_DATABASE_URL.")
@click.option("--dev", is_flag=True, default=False, help="Enable test features (time travel).")
@click.option("--workers", type=int, default=None, help="API processes (PostgreSQL; default 1).")
@click.option(
    "--log-format",
    type=click.Choice(["auto", "human", "json"]),
    default=None,
    help="auto (default): human on a terminal, JSON lines otherwise.",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default=None,
    help="info (default) logs one line per request.",
)
def serve(
    host: str | None,
    port: int | None,
    database_url: str | None,
    dev: bool,
    workers: int | None,
    log_format: str | None,
    log_level: str | None,
) -> None:
    """Run the API server (migrates the schema first)."""
    from openvoucher.cli.server import run_server

    settings = load_settings().with_overrides(
        host=host,
        port=port,
        database_url=database_url,
        dev_features=dev or None,
        workers=workers,
        log_format=log_format,
        log_level=log_level,
    )
    run_server(settings)


def _settings(**overrides: Any) -> Settings:
    """Settings from the environment and flags, the database URL checked (one clear line)."""
    from openvoucher.cli.preflight import check_database

    settings = load_settings().with_overrides(**overrides)
    check_database(settings.database_url)
    return settings


@main.command()
@click.option("--database-url", default=None, help="Overrides OPENVOUCHER_DATABASE_URL.")
def migrate(database_url: str | None) -> None:
    """Bring the database schema up to date."""
    from openvoucher.adapters.db.engine import make_engine
    from openvoucher.adapters.db.migrate import upgrade

    settings = _settings(database_url=database_url)
    upgrade(make_engine(settings.database_url))
    click.echo("schema is up to date")


@main.group(invoke_without_command=True)
@click.option("--database-url", default=None, help="Overrides OPENVOUCHER_DATABASE_URL.")
@click.option("--env", "as_env", is_flag=True, help="Print `export` lines for a shell.")
@click.pass_context
def keys(ctx: click.Context, database_url: str | None, as_env: bool) -> None:
    """Show the default project's keys and the management keys."""
    from openvoucher.bootstrap import build
    from openvoucher.cli.keys import print_exports, print_keys

    container = build(_settings(database_url=database_url, run_relay=False))
    ctx.obj = container
    if ctx.invoked_subcommand is None:
        (print_exports if as_env else print_keys)(container)


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
@click.option(
    "--poll-interval",
    type=float,
    default=0.2,
    help="Seconds between outbox polls (the fallback: on PostgreSQL commits wake workers).",
)
@click.option("--per-endpoint", type=int, default=4, help="Concurrent requests per endpoint.")
def worker(database_url: str | None, poll_interval: float, per_endpoint: int) -> None:
    """Relay webhooks in this process (run several against PostgreSQL)."""
    from openvoucher.cli.webhooks import run_worker
    from openvoucher.webhooks.relay import RelayOptions

    settings = _settings(database_url=database_url)
    run_worker(settings, RelayOptions(poll_interval=poll_interval, per_channel=per_endpoint))


@main.group("webhooks")
@click.option("--database-url", default=None, help="Overrides OPENVOUCHER_DATABASE_URL.")
@click.option("--project", "project_id", default=None, help="Project id (default project).")
@click.pass_context
def webhooks_group(ctx: click.Context, database_url: str | None, project_id: str | None) -> None:
    """Inspect and retry webhook sendouts."""
    from openvoucher.bootstrap import build

    settings = _settings(database_url=database_url, run_relay=False)
    ctx.obj = (build(settings), project_id)


@webhooks_group.command("list")
@click.option("--status", default=None, help="PENDING, DELIVERED or FAILED.")
@click.option("--limit", type=int, default=20)
@click.option("--type", "event_type", default=None, help="Event type, e.g. customer.created.")
@click.option("--voucher", default=None, help="Voucher id or code in the event data.")
@click.option("--customer", default=None, help="Customer id or source_id in the event data.")
@click.option("--after", default=None, help="Created after (ISO 8601).")
@click.option("--before", default=None, help="Created before (ISO 8601).")
@click.pass_obj
def webhooks_list(
    obj: tuple[Any, str | None], /, status: str | None, limit: int, **search: str | None
) -> None:
    """The newest sendouts, optionally searched."""
    from openvoucher.cli.webhook_tools import search_filter
    from openvoucher.cli.webhooks import print_list

    print_list(obj[0], obj[1], status, limit, search_filter(**search))


@webhooks_group.command("resend")
@click.argument("sendout_id")
@click.option("--url", default=None, help="Another URL (default: the sendout's endpoint).")
@click.pass_obj
def webhooks_resend(obj: tuple[Any, str | None], sendout_id: str, url: str | None) -> None:
    """POST a sendout's exact body now, freshly signed; print the answer."""
    from openvoucher.cli.webhook_tools import resend

    resend(obj[0], obj[1], sendout_id, url)


@webhooks_group.command("signature")
@click.argument("sendout_id")
@click.pass_obj
def webhooks_signature(obj: tuple[Any, str | None], sendout_id: str) -> None:
    """The exact signed content and headers of a sendout."""
    from openvoucher.cli.webhook_tools import signature

    signature(obj[0], obj[1], sendout_id)


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
    """Time travel on a running `serve --dev` server: the clock of the keys' project."""


@clock_group.command("show")
@remote_options
def clock_show(**kw: Any) -> None:
    """Print the project's current time and whether it is frozen."""
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


@clock_group.command("reset")
@remote_options
def clock_reset(**kw: Any) -> None:
    """Return the project to real time (running), dropping its time travel."""
    from openvoucher.cli import clock

    clock.move(remote_from(kw), {"reset": True})


@main.command("trigger")
@click.argument("event", required=False)
@click.option("--list", "show_list", is_flag=True, help="Show the events that can be triggered.")
@remote_options
def trigger_command(event: str | None, show_list: bool, **kw: Any) -> None:
    """Make EVENT happen with real API calls on throwaway fixtures (a running server)."""
    from openvoucher.cli import trigger

    if show_list or event is None:
        trigger.print_list()
        return
    trigger.trigger(remote_from(kw), event)


@main.command("listen")
@click.option("--forward-to", default=None, help="Your app's webhook URL to forward to.")
@click.option("--events", default="", help="Comma-separated event types (default: all).")
@click.option("--project", "project_id", default=None, help="Project id (default: the app keys').")
@click.option("--bind", default="127.0.0.1", show_default=True, help="Listener interface.")
@click.option("--port", type=int, default=0, help="Listener port (default: any free one).")
@click.option("--print-json", is_flag=True, help="Print each body too.")
@remote_options
def listen_command(
    forward_to: str | None,
    events: str,
    project_id: str | None,
    bind: str,
    port: int,
    print_json: bool,
    **kw: Any,
) -> None:
    """Receive the project's webhooks locally and forward the signed bytes to your app."""
    from openvoucher.cli.listen import Options, listen

    names = [name.strip() for name in events.split(",") if name.strip()]
    options = Options(forward_to, names, project_id, bind, port, print_json)
    listen(remote_from(kw), options)


@main.command("seed")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@remote_options
def seed_command(file: Path, **kw: Any) -> None:
    """Create the customers, campaigns, vouchers, programmes of FILE (YAML/JSON) via the API."""
    from openvoucher.cli.seed import seed

    seed(remote_from(kw), file)


@main.command("reset")
@click.option("--database-url", default=None, help="Overrides OPENVOUCHER_DATABASE_URL.")
@click.option("--project", "project_id", default=None, help="Project id (default project).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--url",
    envvar="OPENVOUCHER_URL",
    default="http://127.0.0.1:8000",
    show_default=True,
    help="A running dev server whose clock for the project is reset too (env OPENVOUCHER_URL).",
)
def reset_command(database_url: str | None, project_id: str | None, yes: bool, url: str) -> None:
    """Delete all of a project's data in one transaction (keys and webhook endpoints stay)."""
    from openvoucher.bootstrap import build
    from openvoucher.cli.reset import reset_project

    if not yes:
        click.confirm(f"Delete all data of project {project_id or 'default'}?", abort=True)
    settings = _settings(database_url=database_url, run_relay=False)
    reset_project(build(settings), project_id, url)
