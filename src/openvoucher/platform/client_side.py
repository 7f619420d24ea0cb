"""What the project's client-side settings allow a ``/client/v1`` request to do.

``client_trusted_domains`` lists the origins (``https://shop.example.com``), hosts
(``shop.example.com``) or host wildcards (``*.example.com``) client requests may come from;
an empty list refuses every browser request (one with an ``Origin`` header) unless the server
runs with ``--dev``, where it accepts any origin; requests without ``Origin`` (apps, servers)
pass an empty list (docs/adr/0027-client-side-keys.md).
``client_redeem_enabled`` must be true for client-side redemptions; client-side custom events
count for loyalty and referral programmes only with ``client_loyalty_events_enabled``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from openvoucher.kernel.errors import NotFound, VoucherifyError
from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.platform.repositories import projects as project_repo


def _forbidden(details: str) -> VoucherifyError:
    return VoucherifyError("Forbidden", details, key="forbidden", status=403)


def origin_trusted(origin: str | None, trusted: list[str]) -> bool:
    """Whether ``origin`` (the request's ``Origin`` header) matches one trusted entry."""
    if "*" in trusted:
        return True
    if not origin:
        return False
    host = (urlsplit(origin).hostname or origin).lower()
    for entry in (e.strip().lower().rstrip("/") for e in trusted):
        if entry in (origin.lower().rstrip("/"), host):
            return True
        if entry.startswith("*.") and host.endswith(entry[1:]):
            return True
    return False


def _settings(uow: UnitOfWork, project_id: str) -> dict[str, Any]:
    with uow.read(project_id) as tx:
        row = project_repo.get_project(tx.conn, project_id)
    if row is None:
        raise NotFound("project", project_id)
    attrs: dict[str, Any] = row["attrs"] or {}
    return attrs


def admit(
    uow: UnitOfWork, project_id: str, origin: str | None, *, redeem: bool = False, dev: bool = False
) -> dict[str, Any]:
    """Raise 403 ``forbidden`` unless the project's client-side settings allow the request;
    the settings."""
    settings = _settings(uow, project_id)
    trusted = list(settings.get("client_trusted_domains") or [])
    if not trusted:
        if origin and not dev:
            raise _forbidden(
                f"Origin {origin} is not trusted: the project lists no client_trusted_domains. "
                "Allow it with PUT /management/v1/projects/{projectId} "
                '{"client_trusted_domains": ["https://shop.example.com"]} '
                "(hosts and *.wildcards work too), or run the server with --dev to accept "
                "any origin"
            )
    elif not origin_trusted(origin, trusted):
        raise _forbidden(f"Origin {origin or '(none)'} is not a trusted client-side domain")
    if redeem and not settings.get("client_redeem_enabled"):
        raise _forbidden("Client-side redemptions are disabled in the project settings")
    return settings
