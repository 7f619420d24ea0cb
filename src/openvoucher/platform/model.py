"""Typed records of the platform context and the commands its use cases take (ADR 0017)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any, TypeVar

PERMISSION_REMINDER = "You are receiving this email because you opted in at our website."

S = TypeVar("S", "Brand", "Address", "Contact")


@dataclass(frozen=True, slots=True)
class Brand:
    """The brand section of a project's branding."""

    name: str | None = None
    privacy_policy_url: str | None = None
    terms_of_use_url: str | None = None
    permission_reminder: str | None = None
    website_url: str | None = None


@dataclass(frozen=True, slots=True)
class Address:
    """The address section."""

    street: str | None = None
    city: str | None = None
    postal: str | None = None
    state: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """The contact section."""

    email: str | None = None
    phone: str | None = None


DEFAULT_BRAND = Brand(permission_reminder=PERMISSION_REMINDER)
"""A brand section never set (the reminder has a default text)."""


def merged(current: S, sent: S | None) -> S:
    """``current`` with the values ``sent`` gives (None keeps the current value)."""
    if sent is None:
        return current
    given = {f.name: getattr(sent, f.name) for f in fields(sent)}
    return replace(current, **{k: v for k, v in given.items() if v is not None})


@dataclass(frozen=True, slots=True)
class Branding:
    """A project's brand details (at most one per project)."""

    id: str
    brand: Brand
    address: Address
    contact: Contact
    created_at: datetime
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class BrandingFields:
    """Set or change the sections of a branding: a None section or value keeps its own."""

    brand: Brand | None = None
    address: Address | None = None
    contact: Contact | None = None


@dataclass(frozen=True, slots=True)
class User:
    """A user of the organisation (``login``: their e-mail address)."""

    id: str
    login: str
    email: str | None
    first_name: str | None
    last_name: str | None
    is_owner: bool
    created_at: datetime
    invited_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ProjectUser:
    """A user's assignment to one project, with its role there."""

    id: str
    user_id: str
    role: str
    created_at: datetime
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class UserRoles:
    """A user with its role in each project it is assigned to."""

    user: User
    projects: dict[str, str]


@dataclass(frozen=True, slots=True)
class Invitation:
    """Invite a user: their e-mail address, names and role by project id."""

    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    projects: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    """Give a user (by ``id`` or ``login``) a ``role`` in a project, or change it."""

    role: str | None = None
    id: str | None = None
    login: str | None = None


@dataclass(frozen=True, slots=True)
class AsyncAction:
    """Work queued to run after its transaction commits (``request``: its parameters as
    JSON, ``result``: what it recorded so far)."""

    id: str
    project_id: str
    type: str
    status: str
    operation_status: str | None
    progress: int
    request: dict[str, Any]
    result: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime | None = None
    processing_time: int | None = None
    locked_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Export:
    """A CSV export of one kind of object: ``parameters`` as checked (order, fields, filters,
    and the hidden ``scope`` of a scoped export); ``token`` guards its download link."""

    id: str
    exported_object: str
    status: str
    channel: str | None
    parameters: dict[str, Any]
    token: str
    created_at: datetime
    async_action_id: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OAuthToken:
    """An OAuth access token of a project's server-side key, kept by the digest of the token
    (``key_kind``: the kind of the key that issued it, read with the token)."""

    token_hash: str
    project_id: str
    key_id: str
    client_id: str
    scope: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    key_kind: str = "app"


@dataclass(frozen=True, slots=True)
class BinEntry:
    """A campaign, voucher, product or SKU in the bin (its rendered snapshot is kept with the
    entry, not read with it)."""

    id: str
    resource_type: str
    resource_id: str
    resource_name: str | None
    resource_parent_id: str | None
    deleted_by_user_id: str | None
    created_at: datetime
