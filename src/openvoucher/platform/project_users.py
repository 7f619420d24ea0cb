"""Users of the organisation and their roles in projects.

Users are organisation-wide (like projects). An invitation creates the user with its login
(the e-mail address) and its roles in the named projects; no e-mail is sent. Assigning gives an
existing user a role in one more project; a user keeps at least one project.
"""

from __future__ import annotations

from openvoucher.kernel.errors import DuplicateFound, InvalidPayload, NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import projects as project_cases
from openvoucher.platform.model import (
    Assignment,
    Invitation,
    ProjectUser,
    User,
    UserRoles,
)
from openvoucher.platform.projects import MANAGEMENT_SCOPE
from openvoucher.platform.repositories import management as repo
from openvoucher.platform.repositories.management import ProjectUserRepository

ROLES = ("ADMIN", "USER", "VIEWER", "MERCHANT", "USER_RESTRICTED")
"""Voucherify's predefined roles."""


def _role(value: str | None) -> str:
    if value not in ROLES:
        raise InvalidPayload("Invalid payload", f"role must be one of: {', '.join(ROLES)}")
    return value


def _require_project(tx: Tx, project_id: str) -> None:
    project_cases.require_exists(tx, project_id)


def _view(tx: Tx, user: User) -> UserRoles:
    """The user with every project role it has."""
    return UserRoles(user, repo.roles_of(tx.conn, [user.id])[user.id])


def _assigned(tx: Tx, project_id: str, user_id: str) -> tuple[User, ProjectUser]:
    """The user and its assignment, when assigned to the project (404 otherwise)."""
    _require_project(tx, project_id)
    user = repo.get_user(tx.conn, user_id)
    link = ProjectUserRepository(tx.conn, project_id).of_user(user_id)
    if user is None or link is None:
        raise NotFound("user", user_id)
    return user, link


def _assign(tx: Tx, project_id: str, user_id: str, role: str) -> None:
    link = ProjectUser(id=new_id("project_user"), user_id=user_id, role=role, created_at=tx.now)
    ProjectUserRepository(tx.conn, project_id).add(link)


def invite(uow: UnitOfWork, fields: Invitation) -> None:
    """Create the invited user with its roles in the given projects (no e-mail is sent)."""
    email = (fields.email or "").strip()
    if "@" not in email:
        raise InvalidPayload("Invalid payload", "email must be an e-mail address")
    projects = fields.projects or {}
    if not projects:
        raise InvalidPayload("Invalid payload", "projects must name at least one project")
    roles = {project_id: _role(role) for project_id, role in projects.items()}
    with uow.write(MANAGEMENT_SCOPE) as tx:
        if repo.user_by_login(tx.conn, email) is not None:
            raise DuplicateFound("Duplicated resource", f"{email} is already a user login")
        for project_id in roles:
            _require_project(tx, project_id)
        user = User(
            id=new_id("user"),
            login=email,
            email=email,
            first_name=fields.first_name,
            last_name=fields.last_name,
            is_owner=False,
            created_at=tx.now,
            invited_at=tx.now,
        )
        repo.insert_user(tx.conn, user)
        for project_id, role in roles.items():
            _assign(tx, project_id, user.id, role)


def assign(uow: UnitOfWork, project_id: str, fields: Assignment) -> UserRoles:
    """Give an existing user (by ``id`` or ``login``) a role in the project."""
    role = _role(fields.role)
    with uow.write(MANAGEMENT_SCOPE) as tx:
        _require_project(tx, project_id)
        user = _find(tx, fields)
        if ProjectUserRepository(tx.conn, project_id).of_user(user.id) is not None:
            raise DuplicateFound(
                "Duplicated resource", f"User {user.id} is already assigned to the project"
            )
        _assign(tx, project_id, user.id, role)
        return _view(tx, user)


def _find(tx: Tx, fields: Assignment) -> User:
    if fields.id:
        user = repo.get_user(tx.conn, fields.id)
        ident = fields.id
    elif fields.login:
        user = repo.user_by_login(tx.conn, fields.login)
        ident = fields.login
    else:
        raise InvalidPayload("Invalid payload", "id or login is required")
    if user is None:
        raise NotFound("user", ident)
    return user


def list_users(uow: UnitOfWork, project_id: str) -> list[UserRoles]:
    """The users assigned to the project."""
    with uow.read(MANAGEMENT_SCOPE) as tx:
        _require_project(tx, project_id)
        rows = ProjectUserRepository(tx.conn, project_id).all()
        users = [repo.get_user(tx.conn, row.user_id) for row in rows]
        found = [user for user in users if user is not None]
        roles = repo.roles_of(tx.conn, [user.id for user in found])
        return [UserRoles(user, roles[user.id]) for user in found]


def get(uow: UnitOfWork, project_id: str, user_id: str) -> UserRoles:
    """A user assigned to the project."""
    with uow.read(MANAGEMENT_SCOPE) as tx:
        return _view(tx, _assigned(tx, project_id, user_id)[0])


def update(uow: UnitOfWork, project_id: str, user_id: str, fields: Assignment) -> UserRoles:
    """Change the user's role in the project."""
    role = _role(fields.role)
    with uow.write(MANAGEMENT_SCOPE) as tx:
        user, link = _assigned(tx, project_id, user_id)
        members = ProjectUserRepository(tx.conn, project_id)
        members.update(link.id, {"role": role, "updated_at": tx.now})
        return _view(tx, user)


def unassign(uow: UnitOfWork, project_id: str, user_id: str) -> None:
    """Remove the user from the project; refused when it is the user's only project."""
    with uow.write(MANAGEMENT_SCOPE) as tx:
        _user, link = _assigned(tx, project_id, user_id)
        if len(repo.roles_of(tx.conn, [user_id])[user_id]) <= 1:
            raise InvalidPayload(
                "Invalid payload", "A user assigned to only one project cannot be unassigned"
            )
        ProjectUserRepository(tx.conn, project_id).delete(link.id)
