"""Request bodies of custom event schemas, branding and users."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
Text = Annotated[str, msgspec.Meta(max_length=1000)]
Short = Annotated[str, msgspec.Meta(max_length=200)]
Unset = msgspec.UnsetType
UNSET = msgspec.UNSET


class EventProperty(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """One custom event property definition."""

    type: Literal["string", "number", "date", "datetime", "boolean"]
    optional: bool | Unset | None = UNSET
    deleted: bool | Unset | None = UNSET


class EventSchema(msgspec.Struct, omit_defaults=True):
    """The ``schema`` object: the event's properties."""

    properties: Annotated[dict[Name, EventProperty], msgspec.Meta(max_length=200)] | None = None


class CustomEventSchemaUpdate(msgspec.Struct, omit_defaults=True):
    """``PUT …/custom-event-schemas/{id}``."""

    schema: EventSchema | Unset | None = UNSET


class CustomEventSchemaCreate(CustomEventSchemaUpdate, omit_defaults=True):
    """``POST …/custom-event-schemas``."""

    name: Name | Unset | None = UNSET


class Brand(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """The brand section."""

    name: Short | Unset | None = UNSET
    privacy_policy_url: Text | Unset | None = UNSET
    terms_of_use_url: Text | Unset | None = UNSET
    permission_reminder: Text | Unset | None = UNSET
    website_url: Text | Unset | None = UNSET


class Address(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """The address section."""

    street: Short | Unset | None = UNSET
    city: Short | Unset | None = UNSET
    postal: Short | Unset | None = UNSET
    state: Short | Unset | None = UNSET
    country: Short | Unset | None = UNSET


class Contact(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """The contact section."""

    email: Short | Unset | None = UNSET
    phone: Short | Unset | None = UNSET


class BrandingBody(msgspec.Struct, omit_defaults=True):
    """``POST``/``PUT …/branding``: the sections to set."""

    brand: Brand | Unset | None = UNSET
    address: Address | Unset | None = UNSET
    contact: Contact | Unset | None = UNSET


class UserAssign(msgspec.Struct, omit_defaults=True):
    """``POST …/users``: an existing user by id or login, with a role."""

    id: Short | None = None
    login: Short | None = None
    role: Short | None = None


class UserRole(msgspec.Struct, omit_defaults=True):
    """``PUT …/users/{id}``."""

    role: Short | None = None


class UserInvite(msgspec.Struct, omit_defaults=True):
    """``POST /management/v1/projects/users/invite``."""

    email: Short | None = None
    first_name: Short | None = None
    last_name: Short | None = None
    projects: Annotated[dict[Short, Short], msgspec.Meta(max_length=100)] | None = None


class TemplateUpdate(msgspec.Struct, omit_defaults=True):
    """``PUT /v1/templates/campaigns/{id}``."""

    name: Name | None = None
    description: Text | None = None


class TemplateCreate(TemplateUpdate, omit_defaults=True):
    """``POST /v1/templates/campaigns``: from a campaign or a promotion tier."""

    campaign_id: Short | None = None
    promotion_tier_id: Short | None = None


class TemplateCopy(TemplateUpdate, omit_defaults=True):
    """``POST …/templates/campaigns/{id}/copy``."""

    destination_project_id: Short | None = None
