"""Startup failures (bad settings, unreachable database, conflicting keys) as one-line errors."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from openvoucher.kernel.errors import VoucherifyError


class FriendlyGroup(click.Group):
    """A command group that reports expected failures as ``Error: …`` and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; turn configuration and database errors into a clean message."""
        try:
            return super().invoke(ctx)
        except VoucherifyError as exc:
            raise click.ClickException(exc.details or exc.message) from exc
        except SQLAlchemyError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise click.ClickException(f"database: {first}") from exc
        except ValueError as exc:
            raise click.ClickException(f"invalid setting: {exc}") from exc
