"""Empty a project: every row of its data, in one transaction (dev and test tooling).

The project, its API keys and its webhook endpoints stay, so clients and listeners keep
working; customers, campaigns, vouchers, ledgers, orders, redemptions, events, the sendout
log and everything else of the project go. Other projects are untouched.
"""

from __future__ import annotations

from openvoucher.kernel.errors import NotFound
from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.platform.repositories import projects as project_repo
from openvoucher.platform.repositories.reset import empty_project


def reset(uow: UnitOfWork, project_id: str) -> dict[str, int]:
    """Delete the project's data; rows deleted per table."""
    with uow.write(project_id) as tx:
        if project_repo.get_project(tx.conn, project_id) is None:
            raise NotFound("project", project_id)
        return empty_project(tx.conn, project_id)
