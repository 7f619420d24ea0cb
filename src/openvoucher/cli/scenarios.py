"""What ``openvoucher trigger`` does for each event: real API calls on throwaway fixtures.

Each scenario is a function of a :class:`Fixtures` (a running server, a unique suffix) that
performs the operations making its events happen; ``SCENARIOS`` maps every event type to the
scenario producing it. A scenario backed by a service that is not in this build is left out
(``requires``), so ``trigger --list`` never offers an event the server cannot emit.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openvoucher.cli.trigger_fixtures import Fixtures

Scenario = Callable[[Fixtures], None]


def customer_created(f: Fixtures) -> None:
    """Create a customer."""
    f.customer()


def customer_updated(f: Fixtures) -> None:
    """Create a customer and change its name."""
    customer = f.customer()
    f.call("PUT", f"/v1/customers/{customer['id']}", {"name": "Trigger Customer (renamed)"})


def customer_deleted(f: Fixtures) -> None:
    """Create a customer and delete it."""
    f.call("DELETE", f"/v1/customers/{f.customer()['id']}")


def campaign_created(f: Fixtures) -> None:
    """Create a discount campaign with two codes."""
    f.campaign(count=2)


def campaign_updated(f: Fixtures) -> None:
    """Create a campaign and change its description."""
    f.call("PUT", f"/v1/campaigns/{f.campaign()['id']}", {"description": "updated by trigger"})


def campaign_toggled(f: Fixtures) -> None:
    """Create a campaign, disable it, enable it."""
    campaign = f.campaign()
    f.call("POST", f"/v1/campaigns/{campaign['id']}/disable")
    f.call("POST", f"/v1/campaigns/{campaign['id']}/enable")


def campaign_deleted(f: Fixtures) -> None:
    """Create a campaign and delete it."""
    f.call("DELETE", f"/v1/campaigns/{f.campaign()['id']}")


def voucher_created(f: Fixtures) -> None:
    """Create a standalone voucher."""
    f.voucher()


def voucher_updated(f: Fixtures) -> None:
    """Create a voucher and add metadata."""
    code = f.voucher()["code"]
    f.call("PUT", f"/v1/vouchers/{code}", {"metadata": {"updated_by": "trigger"}})


def voucher_toggled(f: Fixtures) -> None:
    """Create a voucher, disable it, enable it."""
    code = f.voucher()["code"]
    f.call("POST", f"/v1/vouchers/{code}/disable")
    f.call("POST", f"/v1/vouchers/{code}/enable")


def voucher_deleted(f: Fixtures) -> None:
    """Create a voucher and delete it."""
    f.call("DELETE", f"/v1/vouchers/{f.voucher()['code']}")
