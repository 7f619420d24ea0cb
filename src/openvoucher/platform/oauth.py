"""OAuth 2.0 client-credentials tokens: issue for an API key, introspect, revoke, authenticate.

A token carries the project and the scopes it was issued with, lives ``TOKEN_TTL`` seconds on
the injected clock, and dies when revoked or when the key that issued it is deleted. Only its
SHA-256 digest is stored.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from openvoucher.kernel.errors import InvalidPayload, Unauthorized, VoucherifyError
from openvoucher.kernel.ids import random_token
from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.platform.model import OAuthToken
from openvoucher.platform.projects import MANAGEMENT_SCOPE, Principal
from openvoucher.platform.repositories import oauth as repo

TOKEN_TTL = 900
MAX_ACTIVE_TOKENS = 1000
PURGE_AFTER = timedelta(days=1)

SERVER_SCOPES = frozenset(
    [
        "api",
        "assets",
        "async-actions",
        "campaigns",
        "categories",
        "consents",
        "customers",
        "events",
        "exports",
        "locations",
        "loyalties",
        "metadata-schemas",
        "orders",
        "product-collections",
        "products",
        "promotions",
        "publications",
        "qualifications",
        "redemptions",
        "referrals",
        "rewards",
        "segments",
        "skus",
        "task-results",
        "templates",
        "trash-bin",
        "validation-rules-assignments",
        "validation-rules",
        "validations",
        "vouchers",
    ]
)
CLIENT_SCOPES = frozenset(
    [
        "client_api",
        "client_consents",
        "client_customers",
        "client_events",
        "client_promotions",
        "client_publish",
        "client_qualifications",
        "client_redeem",
        "client_redemptions",
        "client_validate",
        "client_validations",
        "client_vouchers",
    ]
)
ALIASES = {"publish": "publications", "bin": "trash-bin"}


def digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def client_id_of(key_id: str) -> str:
    """A stable OAuth client id for the API key ``key_id`` (not the key id itself)."""
    return hashlib.sha256(b"oauth-client:" + key_id.encode()).hexdigest()[:21]


def parse_scope(raw: str | None) -> list[str]:
    """The requested scopes (space-separated, known, at least one), in order, deduplicated."""
    scopes = list(dict.fromkeys((raw or "").split()))
    if not scopes:
        raise InvalidPayload("Invalid payload", "scope is required, e.g. scope=api")
    unknown = [s for s in scopes if s not in SERVER_SCOPES | CLIENT_SCOPES]
    if unknown:
        raise InvalidPayload("Invalid payload", f"Unknown scope(s): {', '.join(unknown)}")
    return scopes


def issue(uow: UnitOfWork, principal: Principal, key_id: str, scope: list[str]) -> dict[str, Any]:
    """A new token for the server-side key ``key_id`` of ``principal``'s project."""
    project_id = principal.project_id
    if principal.kind != "app" or project_id is None:
        raise Unauthorized("Unauthorized", "OAuth tokens are issued for server-side API keys")
    token = random_token(50)
    with uow.write(project_id) as tx:
        repo.purge_expired(tx.conn, project_id, tx.now - PURGE_AFTER)
        if repo.count_active(tx.conn, project_id, tx.now) >= MAX_ACTIVE_TOKENS:
            raise VoucherifyError(
                "Too many OAuth tokens",
                f"A project can have at most {MAX_ACTIVE_TOKENS} active OAuth tokens",
                key="limit_exceeded",
                status=429,
            )
        row = OAuthToken(
            token_hash=digest(token),
            project_id=project_id,
            key_id=key_id,
            client_id=client_id_of(key_id),
            scope=" ".join(scope),
            created_at=tx.now,
            expires_at=tx.now + timedelta(seconds=TOKEN_TTL),
        )
        repo.insert_token(tx.conn, row)
        return _describe(token, row, TOKEN_TTL)


def _describe(token: str, row: OAuthToken, expires_in: int) -> dict[str, Any]:
    return {
        "access_token": token,
        "client_id": row.client_id,
        "expires_at": int(row.expires_at.timestamp()),
        "expires_in": expires_in,
        "scope": row.scope,
        "token_type": "Bearer",
    }


def _active(uow: UnitOfWork, token: str) -> tuple[OAuthToken, int] | None:
    with uow.read(MANAGEMENT_SCOPE) as tx:
        row = repo.get_token(tx.conn, digest(token))
        now = tx.now
    if row is None or row.revoked_at is not None or row.key_kind != "app":
        return None
    left = int((row.expires_at - now).total_seconds())
    return (row, left) if left > 0 else None


def introspect(uow: UnitOfWork, project_id: str, token: str) -> dict[str, Any]:
    """The token's details with ``active: true``, or just ``active: false``."""
    found = _active(uow, token)
    if found is None or found[0].project_id != project_id:
        return {"active": False}
    row, left = found
    return {**_describe(token, row, left), "active": True}


def revoke(uow: UnitOfWork, project_id: str, token: str) -> None:
    """End a token of the project now (unknown tokens are ignored, as RFC 7009 asks)."""
    with uow.write(project_id) as tx:
        repo.revoke(tx.conn, project_id, digest(token), tx.now)


def allows(scopes: set[str], path: str | None) -> bool:
    """Whether tokens with ``scopes`` may call ``path`` (unknown path: only full-API scopes)."""
    parts = (path or "").strip("/").split("/")
    if parts[:1] == ["client"]:
        resource = parts[2] if len(parts) > 2 and parts[1] == "v1" else ""
        return "client_api" in scopes or (bool(resource) and f"client_{resource}" in scopes)
    resource = parts[1] if len(parts) > 1 and parts[0] == "v1" else ""
    return "api" in scopes or ALIASES.get(resource, resource or "-") in scopes


def authenticate(uow: UnitOfWork, token: str, path: str | None) -> Principal:
    """The principal a bearer token acts as on ``path``; 401 when it is not valid there."""
    found = _active(uow, token)
    if found is None:
        raise Unauthorized("Unauthorized", "The access token is invalid, expired or revoked")
    row = found[0]
    if not allows(set(row.scope.split()), path):
        raise VoucherifyError(
            "Forbidden",
            "The access token's scope does not cover this endpoint",
            key="forbidden",
            status=403,
        )
    kind = "client" if (path or "").startswith("/client/") else "app"
    return Principal(kind=kind, project_id=row.project_id)
