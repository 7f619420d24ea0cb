"""``openvoucher reset``: empty a project (its data; the project, keys and endpoints stay)."""

from __future__ import annotations

from typing import Any

import click
import httpx

from openvoucher.bootstrap import Container
from openvoucher.platform import projects
from openvoucher.platform.reset import reset


def reset_project(container: Container, project_id: str | None, url: str) -> None:
    """Delete the project's rows in one transaction and print the counts; then tell a running
    dev server at ``url`` that the project's clock follows real time again."""
    target = project_id or str(container.default_project["id"])
    counts = reset(container.uow, target)
    total = sum(counts.values())
    detail = ", ".join(f"{table}={n}" for table, n in sorted(counts.items()))
    click.echo(
        f"project {target} emptied: {total} rows deleted" + (f" ({detail})" if detail else "")
    )
    click.echo(_reset_server_clock(container, target, url.rstrip("/")))


def _reset_server_clock(container: Container, project_id: str, url: str) -> str:
    """The dev clock's setting went with the rows; a running server holds it in memory too."""
    keys = _app_keys(container, project_id)
    if keys is None:
        return "the project has no server-side keys to reach a running server with"
    try:
        answer = httpx.post(f"{url}/v1/_test/clock", json={"reset": True}, headers=keys, timeout=30)
    except httpx.HTTPError:
        return f"no server at {url}; a server started later reads the clock from the database"
    if answer.status_code == 200:
        return f"server at {url}: the project's clock follows real time again"
    return (
        f"the server at {url} did not reset the clock ({answer.status_code}); "
        "restart it to drop the project's time travel"
    )


def _app_keys(container: Container, project_id: str) -> dict[str, Any] | None:
    view = projects.get_project(container.uow, project_id)
    keys = view.get("app_keys") or []
    if not keys:
        return None
    return {"X-App-Id": keys[0]["key_id"], "X-App-Token": keys[0]["token"]}
