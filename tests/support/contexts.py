"""What the service-level tests of the contexts work with: a built container and its project."""

from __future__ import annotations

from dataclasses import dataclass

from openvoucher.bootstrap import Container
from openvoucher.kernel.unit_of_work import UnitOfWork


@dataclass
class Context:
    """A built container on a database of its own, and its default project."""

    container: Container
    project_id: str

    @property
    def uow(self) -> UnitOfWork:
        """The container's unit of work."""
        return self.container.uow
