"""``openvoucher reset``: empty a project (its data; the project, keys and endpoints stay)."""

from __future__ import annotations

import click

from openvoucher.bootstrap import Container
from openvoucher.platform.reset import reset


def reset_project(container: Container, project_id: str | None) -> None:
    """Delete the project's rows in one transaction and print the counts."""
    target = project_id or str(container.default_project["id"])
    counts = reset(container.uow, target)
    total = sum(counts.values())
    detail = ", ".join(f"{table}={n}" for table, n in sorted(counts.items()))
    click.echo(
        f"project {target} emptied: {total} rows deleted" + (f" ({detail})" if detail else "")
    )
