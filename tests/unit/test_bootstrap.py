"""The composition root's tables: what reacts to what, with nothing registered at import time."""

from __future__ import annotations

import subprocess
import sys

from openvoucher import bootstrap
from openvoucher.checkout.events import OrderCanceled, OrderPaid
from openvoucher.customers.events import CustomEventTracked, SegmentEntered
from openvoucher.loyalty import handlers
from openvoucher.loyalty.v2 import earning as v2_earning
from openvoucher.loyalty.v2 import event_earning as v2_event_earning
from openvoucher.loyalty.v2 import order_refunds as v2_order_refunds

ACTION_TYPES = {
    "CAMPAIGN.VOUCHERS_DELETE",
    "CAMPAIGN.VOUCHERS_GENERATE",
    "CAMPAIGN.VOUCHERS_IMPORT",
    "CAMPAIGN.VOUCHERS_IMPORT_CSV",
    "CUSTOMERS.BULK_UPDATE",
    "CUSTOMERS.IMPORT_CSV",
    "CUSTOMERS.METADATA_UPDATE",
    "LOYALTY_V2.MEMBERS_CREATE",
    "ORDERS.IMPORT",
    "PRODUCTS.BULK_UPDATE",
    "PRODUCTS.IMPORT_CSV",
    "PRODUCTS.METADATA_UPDATE",
    "SKUS.IMPORT_CSV",
    "VOUCHERS.BULK_UPDATE",
    "VOUCHERS.IMPORT",
    "VOUCHERS.IMPORT_CSV",
    "VOUCHERS.METADATA_UPDATE",
    "customer.export",
    "order.export",
    "points_expiration.export",
    "publication.export",
    "redemption.export",
    "voucher.export",
    "voucher_transactions.export",
}


def test_async_action_table_holds_every_action_type() -> None:
    """The async-action table names all 24 action types, each with a handler."""
    table = bootstrap.async_action_table()
    assert set(table) == ACTION_TYPES
    assert all(callable(handler.run) for handler in table.values())


def test_failure_handlers_undo_what_a_failed_run_leaves() -> None:
    """Campaign generation and deletion and the exports have failure handlers; the rest none."""
    table = bootstrap.async_action_table()
    with_failure = {kind for kind, handler in table.items() if handler.on_failure is not None}
    exports = {kind for kind in ACTION_TYPES if kind.endswith(".export")}
    assert with_failure == {"CAMPAIGN.VOUCHERS_DELETE", "CAMPAIGN.VOUCHERS_GENERATE", *exports}


def test_reaction_table_routes_domain_events_to_loyalty() -> None:
    """Order paid, segment entered and custom events reach the earning rules (v1, then Loyalty
    v2), a canceled order the v2 refunds of paid points, and nothing else reacts."""
    assert bootstrap.reaction_table() == {
        OrderPaid: [handlers.on_order_paid, v2_earning.on_order_paid],
        OrderCanceled: [v2_order_refunds.on_order_canceled],
        SegmentEntered: [handlers.on_segment_entered, handlers.on_segment_entered_v2],
        CustomEventTracked: [v2_event_earning.on_custom_event],
    }


def test_tables_do_not_depend_on_the_api_being_imported() -> None:
    """A process that imports only bootstrap (no API edge) gets the same 24 action handlers."""
    script = (
        "import sys\n"
        "from openvoucher import bootstrap\n"
        "table = bootstrap.async_action_table()\n"
        "assert not any(name.startswith('openvoucher.api') for name in sys.modules)\n"
        "print(len(table))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "24"
