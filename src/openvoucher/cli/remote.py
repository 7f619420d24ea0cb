"""Talking to a running openvoucher server over HTTP (``clock``, ``listen``, ``trigger``, …).

The server and keys come from flags or the environment: ``OPENVOUCHER_URL`` (default
``http://127.0.0.1:8000``), ``OPENVOUCHER_APP_ID``/``OPENVOUCHER_APP_TOKEN`` and
``OPENVOUCHER_MANAGEMENT_ID``/``OPENVOUCHER_MANAGEMENT_TOKEN`` — the same variables that give
``openvoucher serve`` fixed keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click
import httpx

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_URL = "http://127.0.0.1:8000"
DEV_PREFIX = "/v1/_test/"
"""openvoucher's dev extension: answered 404 by a server without ``--dev``."""


class RemoteError(click.ClickException):
    """A failed API call, shown as ``Error: <status> <key>: <details>``."""

    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self.body = body
        if isinstance(body, dict):
            text = f"{body.get('key', '')}: {body.get('details') or body.get('message')}"
        else:
            text = str(body)[:300]
        super().__init__(f"{status} {text}")


@dataclass
class Remote:
    """A server URL and the keys to call it with."""

    url: str
    app_id: str | None = None
    app_token: str | None = None
    management_id: str | None = None
    management_token: str | None = None
    timeout: float = 120.0

    def _headers(self, management: bool) -> dict[str, str]:
        if management:
            if not (self.management_id and self.management_token):
                raise click.UsageError(
                    "management keys needed: --management-id/--management-token "
                    "or OPENVOUCHER_MANAGEMENT_ID/OPENVOUCHER_MANAGEMENT_TOKEN"
                )
            return {
                "X-Management-Id": self.management_id,
                "X-Management-Token": self.management_token,
            }
        if not (self.app_id and self.app_token):
            raise click.UsageError(
                "app keys needed: --app-id/--app-token or OPENVOUCHER_APP_ID/OPENVOUCHER_APP_TOKEN"
            )
        return {"X-App-Id": self.app_id, "X-App-Token": self.app_token}

    def call(
        self, method: str, path: str, body: Any = None, *, management: bool = False, **kw: Any
    ) -> Any:
        """One request; the decoded JSON answer (None for 204), or :class:`RemoteError`."""
        headers = self._headers(management)
        try:
            with httpx.Client(base_url=self.url, headers=headers, timeout=self.timeout) as client:
                response = client.request(method, path, json=body, **kw)
        except httpx.HTTPError as exc:
            raise click.ClickException(f"cannot reach {self.url}: {exc}") from exc
        if response.status_code == 204:
            return None
        try:
            decoded = response.json()
        except ValueError:
            decoded = response.text
        if response.status_code == 404 and path.startswith(DEV_PREFIX) and _no_route(decoded):
            raise click.ClickException(
                f"the server at {self.url} runs without dev features; start it with "
                "`openvoucher serve --dev` (or OPENVOUCHER_DEV=1)"
            )
        if response.status_code >= 400:
            raise RemoteError(response.status_code, decoded)
        return decoded


def _no_route(body: Any) -> bool:
    """Whether a 404 says the path is not served at all (not that an object is unknown)."""
    return isinstance(body, dict) and body.get("details") == "No such endpoint"


def remote_options(func: F) -> F:
    """Add ``--url``, ``--app-id``, ``--app-token``, ``--management-id``/``-token`` options."""
    options = [
        click.option(
            "--url",
            envvar="OPENVOUCHER_URL",
            default=DEFAULT_URL,
            show_default=True,
            help="The server (env OPENVOUCHER_URL).",
        ),
        click.option(
            "--app-id",
            envvar="OPENVOUCHER_APP_ID",
            default=None,
            help="X-App-Id (env OPENVOUCHER_APP_ID).",
        ),
        click.option(
            "--app-token",
            envvar="OPENVOUCHER_APP_TOKEN",
            default=None,
            help="X-App-Token (env OPENVOUCHER_APP_TOKEN).",
        ),
        click.option(
            "--management-id",
            envvar="OPENVOUCHER_MANAGEMENT_ID",
            default=None,
            help="X-Management-Id (env OPENVOUCHER_MANAGEMENT_ID).",
        ),
        click.option(
            "--management-token",
            envvar="OPENVOUCHER_MANAGEMENT_TOKEN",
            default=None,
            help="X-Management-Token (env OPENVOUCHER_MANAGEMENT_TOKEN).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def remote_from(kwargs: dict[str, Any]) -> Remote:
    """Pop the remote options out of a command's keyword arguments."""
    return Remote(
        url=kwargs.pop("url").rstrip("/"),
        app_id=kwargs.pop("app_id"),
        app_token=kwargs.pop("app_token"),
        management_id=kwargs.pop("management_id"),
        management_token=kwargs.pop("management_token"),
    )


def find_project(remote: Remote) -> dict[str, Any]:
    """The project the app keys belong to, whichever of its key pairs they are (via the
    management API)."""
    listed = remote.call("GET", "/management/v1/projects", management=True)
    projects = listed.get("data", []) if isinstance(listed, dict) else listed
    for project in projects:
        key = project.get("server_side_key") or {}
        ids = {key.get("app_id"), *project.get("server_side_key_ids", [])}
        if remote.app_id in ids:
            return dict(project)
    if len(projects) == 1 and not remote.app_id:
        return dict(projects[0])
    raise click.ClickException(
        "cannot tell which project the app keys belong to; pass --project PROJECT_ID"
    )
