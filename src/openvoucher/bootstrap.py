"""Composition root: the one place that builds the engine, clock and services and wires them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from openvoucher.adapters.clock import ControllableClock, ProjectClocks, SystemClock
from openvoucher.adapters.db.engine import make_engine
from openvoucher.adapters.db.migrate import upgrade
from openvoucher.config import Settings
from openvoucher.kernel.clock import Clock
from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.platform import projects


@dataclass
class Container:
    """The wired application: settings, storage, time and the unit of work."""

    settings: Settings
    engine: Engine
    clock: Clock
    uow: UnitOfWork
    default_project: dict[str, Any] = field(default_factory=dict)
    background: list[Any] = field(default_factory=list)
    # Called when keys stop being valid (a project is deleted); the API edge sets it.
    keys_revoked: list[Any] = field(default_factory=list)
    # Whether this start generated keys (``serve`` prints them only then).
    keys_generated: bool = False


def build(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> Container:
    """Create the container; migrate the schema and ensure the default project."""
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    chosen = clock or (ControllableClock() if settings.dev_features else SystemClock())
    uow = UnitOfWork(engine, _project_clocks(engine, chosen, settings), settings.base_url)
    container = Container(settings=settings, engine=engine, clock=chosen, uow=uow)
    project, generated = projects.ensure_default(uow, settings)
    container.default_project, container.keys_generated = project, generated
    if settings.run_relay:
        from openvoucher.webhooks.relay import Relay

        container.background.append(Relay(uow, settings))
    else:
        _notify_other_relays(container)
    _add_async_action_runner(container)
    _add_points_expiration(container)
    _add_pending_points_activation(container)
    return container


def _notify_other_relays(container: Container) -> None:
    """No relay here: on PostgreSQL, commits with events wake relays in other processes
    (once the background components start, i.e. under ``serve``)."""
    from openvoucher.webhooks import wakeup

    if wakeup.available(container.engine):
        signal = wakeup.CommitSignal(container.engine)
        container.uow.after_commit.append(signal.wake)
        container.background.append(signal)


def _project_clocks(engine: Engine, base: Clock, settings: Settings) -> Clock:
    """With dev features, each project may have its own clock on top of ``base`` (time
    travel per project; the settings persist across restarts)."""
    if not settings.dev_features:
        return base
    from openvoucher.platform.repositories.dev_clock import project_clocks

    clocks = ProjectClocks(base)
    with engine.connect() as conn:
        clocks.load(project_clocks(conn))
    return clocks


def _add_async_action_runner(container: Container) -> None:
    # Importing these services registers their async action handlers.
    from openvoucher.catalog import campaigns, imports, product_jobs, voucher_jobs  # noqa: F401
    from openvoucher.customers import customer_jobs  # noqa: F401
    from openvoucher.platform.async_actions import AsyncActionRunner

    runner = AsyncActionRunner(container.uow)
    container.uow.after_wake.append(runner.wake)  # enqueue() wakes it; it polls besides
    container.background.append(runner)


def _add_points_expiration(container: Container) -> None:
    # Importing earning_rules registers its order.paid hook; the worker expires loyalty points.
    from openvoucher.loyalty import earning_rules  # noqa: F401
    from openvoucher.loyalty.points_expiration import PointsExpirationWorker

    container.background.append(PointsExpirationWorker(container.uow, container.clock))


def _add_pending_points_activation(container: Container) -> None:
    # The worker activates pending loyalty points whose day has come.
    from openvoucher.loyalty.pending_points_activation import PendingPointsWorker

    container.background.append(PendingPointsWorker(container.uow, container.clock))
    # The worker settles period tier grants that expired (build/loyalty-tiers.mdx).
    from openvoucher.loyalty.period_tiers import TierExpiryWorker

    container.background.append(TierExpiryWorker(container.uow, container.clock))
