"""``bootstrap.build()`` alone wires every async-action handler and every domain-event reaction."""

from __future__ import annotations

from typing import Any

from openvoucher import bootstrap
from openvoucher.platform.async_actions import AsyncActionRunner
from tests.unit.test_bootstrap import ACTION_TYPES


def test_build_wires_async_actions_and_reactions(container: Any) -> None:
    """The built container's runner and unit of work carry the bootstrap tables."""
    assert set(container.async_actions) == ACTION_TYPES
    runner = next(w for w in container.background if isinstance(w, AsyncActionRunner))
    assert runner.actions is container.async_actions
    assert container.uow.reactions == bootstrap.reaction_table()
