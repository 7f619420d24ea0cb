"""Management API: custom event schemas, branding and users of a project."""

from __future__ import annotations

from typing import Any

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.customers import given
from openvoucher.api.schemas.management import (
    BrandingBody,
    CustomEventSchemaCreate,
    CustomEventSchemaUpdate,
    UserAssign,
    UserInvite,
    UserRole,
)
from openvoucher.customers import custom_event_schemas
from openvoucher.customers.model import CustomEventSchemaFields
from openvoucher.customers.presenters.custom_event_schemas import (
    custom_event_schema,
    custom_event_schemas_list,
)
from openvoucher.platform import branding, project_users
from openvoucher.platform.model import (
    Address,
    Assignment,
    Brand,
    BrandingFields,
    Contact,
    Invitation,
)
from openvoucher.platform.presenters import management as present

routes = Routes()

PROJECT = "/management/v1/projects/{projectId}"
EVENTS = PROJECT + "/custom-event-schemas"
BRANDING = PROJECT + "/branding"
USERS = PROJECT + "/users"


def _event_schema_fields(sent: dict[str, Any]) -> CustomEventSchemaFields:
    """The command: ``schema.properties`` (``{}`` when a schema without them was sent)."""
    schema = sent.get("schema")
    properties = None if schema is None else (schema.get("properties") or {})
    return CustomEventSchemaFields(name=sent.get("name"), properties=properties)


@routes.post(EVENTS, auth="management")
def create_event_schema(request: ApiRequest) -> dict[str, Any]:
    """Define a custom event and its properties."""
    body = request.json(CustomEventSchemaCreate)
    fields = _event_schema_fields(given(body))
    row = custom_event_schemas.create(request.uow, request.path["projectId"], fields)
    return custom_event_schema(row)


@routes.get(EVENTS, auth="management")
def list_event_schemas(request: ApiRequest) -> dict[str, Any]:
    """Every custom event schema of the project."""
    rows = custom_event_schemas.list_schemas(request.uow, request.path["projectId"])
    return custom_event_schemas_list(rows)


@routes.get(EVENTS + "/{customEventSchemaId}", auth="management")
def get_event_schema(request: ApiRequest) -> dict[str, Any]:
    """By id."""
    path = request.path
    row = custom_event_schemas.get(request.uow, path["projectId"], path["customEventSchemaId"])
    return custom_event_schema(row)


@routes.put(EVENTS + "/{customEventSchemaId}", auth="management")
def update_event_schema(request: ApiRequest) -> dict[str, Any]:
    """Add or replace property definitions."""
    fields = _event_schema_fields(given(request.json(CustomEventSchemaUpdate)))
    path = request.path
    row = custom_event_schemas.update(
        request.uow, path["projectId"], path["customEventSchemaId"], fields
    )
    return custom_event_schema(row)


@routes.delete(EVENTS + "/{customEventSchemaId}", auth="management", status=204)
def delete_event_schema(request: ApiRequest) -> None:
    """Remove a custom event schema."""
    path = request.path
    custom_event_schemas.delete(request.uow, path["projectId"], path["customEventSchemaId"])


def _branding_fields(body: BrandingBody) -> BrandingFields:
    """The command: each section's values sent (null and absent: None, kept)."""
    sent = given(body)
    brand, address, contact = (sent.get(name) or {} for name in ("brand", "address", "contact"))
    return BrandingFields(
        brand=Brand(**brand), address=Address(**address), contact=Contact(**contact)
    )


@routes.post(BRANDING, auth="management")
def create_brand(request: ApiRequest) -> dict[str, Any]:
    """Configure the project's brand."""
    fields = _branding_fields(request.json(BrandingBody))
    return present.branding(branding.create(request.uow, request.path["projectId"], fields))


@routes.get(BRANDING, auth="management")
def list_brands(request: ApiRequest) -> dict[str, Any]:
    """The project's brand, as a list."""
    return present.brandings_list(branding.list_brands(request.uow, request.path["projectId"]))


@routes.get(BRANDING + "/{brandingId}", auth="management")
def get_brand(request: ApiRequest) -> dict[str, Any]:
    """By id."""
    path = request.path
    return present.branding(branding.get(request.uow, path["projectId"], path["brandingId"]))


@routes.put(BRANDING + "/{brandingId}", auth="management")
def update_brand(request: ApiRequest) -> dict[str, Any]:
    """Change the fields sent."""
    fields = _branding_fields(request.json(BrandingBody))
    path = request.path
    row = branding.update(request.uow, path["projectId"], path["brandingId"], fields)
    return present.branding(row)


@routes.delete(BRANDING + "/{brandingId}", auth="management", status=204)
def delete_brand(request: ApiRequest) -> None:
    """Remove the brand."""
    path = request.path
    branding.delete(request.uow, path["projectId"], path["brandingId"])


@routes.post("/management/v1/projects/users/invite", auth="management", status=204)
def invite_user(request: ApiRequest) -> None:
    """Create the invited user with its project roles (no e-mail is sent)."""
    body = request.json(UserInvite)
    fields = Invitation(body.email, body.first_name, body.last_name, body.projects)
    project_users.invite(request.uow, fields)


@routes.post(USERS, auth="management")
def assign_user(request: ApiRequest) -> dict[str, Any]:
    """Give an existing user a role in the project."""
    body = request.json(UserAssign)
    fields = Assignment(role=body.role, id=body.id, login=body.login)
    return present.user(project_users.assign(request.uow, request.path["projectId"], fields))


@routes.get(USERS, auth="management")
def list_users(request: ApiRequest) -> dict[str, Any]:
    """The users assigned to the project."""
    return present.users_list(project_users.list_users(request.uow, request.path["projectId"]))


@routes.get(USERS + "/{userId}", auth="management")
def get_user(request: ApiRequest) -> dict[str, Any]:
    """A user of the project."""
    path = request.path
    return present.user(project_users.get(request.uow, path["projectId"], path["userId"]))


@routes.put(USERS + "/{userId}", auth="management")
def update_user(request: ApiRequest) -> dict[str, Any]:
    """Change the user's role in the project."""
    fields = Assignment(role=request.json(UserRole).role)
    path = request.path
    row = project_users.update(request.uow, path["projectId"], path["userId"], fields)
    return present.user(row)


@routes.delete(USERS + "/{userId}", auth="management", status=204)
def unassign_user(request: ApiRequest) -> None:
    """Remove the user from the project."""
    path = request.path
    project_users.unassign(request.uow, path["projectId"], path["userId"])
