"""Composition root: the one place that builds the engine, clock and services and wires them.

It holds the two tables that say what reacts to what: :func:`reaction_table` (typed domain
events → the handlers other contexts run inside the same transaction) and
:func:`async_action_table` (async action types → their handlers). No module registers
anything when it is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from openvoucher.adapters.clock import ControllableClock, ProjectClocks, SystemClock
from openvoucher.adapters.db.engine import make_engine
from openvoucher.adapters.db.migrate import upgrade
from openvoucher.adapters.db.unit_of_work import SqlUnitOfWork
from openvoucher.config import Settings
from openvoucher.kernel.clock import Clock
from openvoucher.kernel.unit_of_work import ReactionTable, UnitOfWork
from openvoucher.platform import projects
from openvoucher.platform.async_actions import ActionHandler


@dataclass
class Container:
    """The wired application: settings, storage, time and the unit of work."""

    settings: Settings
    engine: Engine
    clock: Clock
    uow: UnitOfWork
    async_actions: dict[str, ActionHandler] = field(default_factory=dict)
    """Async action type → handler (:func:`async_action_table`)."""
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
    uow = SqlUnitOfWork(engine, _project_clocks(engine, chosen, settings), settings.base_url)
    uow.reactions = reaction_table()
    container = Container(
        settings=settings,
        engine=engine,
        clock=chosen,
        uow=uow,
        async_actions=async_action_table(),
    )
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


def reaction_table() -> ReactionTable:
    """Domain event → the handlers that react to it, inside the transaction that dispatched it."""
    from openvoucher.checkout.events import OrderCanceled, OrderPaid
    from openvoucher.customers.events import CustomEventTracked, SegmentEntered
    from openvoucher.loyalty import handlers
    from openvoucher.loyalty.v2 import earning as v2_earning
    from openvoucher.loyalty.v2 import event_earning as v2_event_earning
    from openvoucher.loyalty.v2 import order_refunds as v2_order_refunds

    return {
        # order paid → loyalty points accrue (v1 rules, then Loyalty v2 rules)
        OrderPaid: [handlers.on_order_paid, v2_earning.on_order_paid],
        # order canceled → v2 wallets with refundable spent points give back order payments
        OrderCanceled: [v2_order_refunds.on_order_canceled],
        # segment entered → earning rules (v1, then v2)
        SegmentEntered: [handlers.on_segment_entered, handlers.on_segment_entered_v2],
        # custom event tracked → v2 earning rules (v1 rules fire from ``custom_events``)
        CustomEventTracked: [v2_event_earning.on_custom_event],
    }


def async_action_table() -> dict[str, ActionHandler]:
    """Every async action type and its handler (and what undoes a failed run's effects)."""
    from openvoucher.catalog import campaign_jobs, campaigns, imports, product_jobs, voucher_jobs
    from openvoucher.checkout import order_imports
    from openvoucher.customers import customer_jobs
    from openvoucher.loyalty.v2 import member_jobs
    from openvoucher.platform import exports
    from openvoucher.platform.presenters.export_rows import KINDS

    table = {
        campaigns.GENERATE: ActionHandler(
            campaign_jobs.run_generation, campaign_jobs.generation_failed
        ),
        campaigns.DELETE: ActionHandler(campaign_jobs.run_deletion, campaign_jobs.deletion_failed),
        voucher_jobs.BULK_UPDATE: ActionHandler(voucher_jobs.run_bulk_update),
        voucher_jobs.METADATA_UPDATE: ActionHandler(voucher_jobs.run_metadata_update),
        product_jobs.BULK_UPDATE: ActionHandler(product_jobs.run_bulk_update),
        product_jobs.METADATA_UPDATE: ActionHandler(product_jobs.run_metadata_update),
        product_jobs.PRODUCTS_CSV: ActionHandler(product_jobs.run_products_csv),
        product_jobs.SKUS_CSV: ActionHandler(product_jobs.run_skus_csv),
        customer_jobs.BULK_UPDATE: ActionHandler(customer_jobs.run_bulk_update),
        customer_jobs.METADATA_UPDATE: ActionHandler(customer_jobs.run_metadata_update),
        customer_jobs.IMPORT_CSV: ActionHandler(customer_jobs.run_csv),
        order_imports.ORDERS_IMPORT: ActionHandler(order_imports.run),
        member_jobs.BATCH_CREATE: ActionHandler(member_jobs.run),
    }
    for kind in (
        imports.VOUCHERS_JSON,
        imports.VOUCHERS_CSV,
        imports.CAMPAIGN_JSON,
        imports.CAMPAIGN_CSV,
    ):
        table[kind] = ActionHandler(imports.run_import)
    for exported in KINDS:
        table[f"{exported}.export"] = ActionHandler(exports.run_export, exports.export_failed)
    return table


def _add_async_action_runner(container: Container) -> None:
    from openvoucher.platform.async_actions import AsyncActionRunner

    runner = AsyncActionRunner(container.uow, container.async_actions)
    container.uow.after_wake.append(runner.wake)  # enqueue() wakes it; it polls besides
    container.background.append(runner)


def _add_points_expiration(container: Container) -> None:
    # The worker expires loyalty points.
    from openvoucher.loyalty.points_expiration import PointsExpirationWorker

    container.background.append(PointsExpirationWorker(container.uow, container.clock))


def _add_pending_points_activation(container: Container) -> None:
    # The worker activates pending loyalty points whose day has come.
    from openvoucher.loyalty.pending_points_activation import PendingPointsWorker

    container.background.append(PendingPointsWorker(container.uow, container.clock))
    # The worker settles period tier grants that expired (build/loyalty-tiers.mdx).
    from openvoucher.loyalty.period_tiers import TierExpiryWorker

    container.background.append(TierExpiryWorker(container.uow, container.clock))
