"""Deleting a project with all its data (never the default project)."""

from __future__ import annotations

from openvoucher.kernel.errors import NotFound, VoucherifyError
from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.platform.projects import MANAGEMENT_SCOPE
from openvoucher.platform.repositories import project_data
from openvoucher.platform.repositories import projects as repo


def delete_project(uow: UnitOfWork, project_id: str) -> None:
    """Remove a project, its keys, OAuth tokens and every resource it owns, in one transaction.

    The default project cannot be deleted (as Voucherify's sandbox project cannot).
    """
    with uow.write(MANAGEMENT_SCOPE) as tx:
        row = repo.get_project(tx.conn, project_id)
        if row is None:
            raise NotFound("project", project_id)
        if row["is_default"]:
            raise VoucherifyError(
                "Forbidden",
                "The default project cannot be deleted",
                key="forbidden",
                status=403,
            )
        project_data.delete_project(tx.conn, project_id)
