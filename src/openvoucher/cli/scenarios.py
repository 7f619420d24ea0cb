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


def publication(f: Fixtures) -> None:
    """Publish a code of a new campaign to a new customer."""
    campaign = f.campaign(count=2)
    body = {"campaign": {"name": campaign["name"]}, "customer": {"id": f.customer()["id"]}}
    f.call("POST", "/v1/publications", body)


def redemption_succeeded(f: Fixtures) -> None:
    """A new customer redeems a new voucher."""
    f.redeem(f.voucher()["code"], f.customer())


def redemption_failed(f: Fixtures) -> None:
    """A single-use voucher redeemed twice: the second redemption fails (HTTP 400)."""
    code = f.voucher(redemption={"quantity": 1})["code"]
    customer = f.customer()
    f.redeem(code, customer)
    _expect_refusal(lambda: f.redeem(code, customer))


def rollbacks(f: Fixtures) -> None:
    """Redeem, roll back (succeeds), roll back again (fails, HTTP 400)."""
    redemption = f.redeem(f.voucher()["code"], f.customer())["redemptions"][0]
    path = f"/v1/redemptions/{redemption['id']}/rollback"
    f.call("POST", path, {"reason": "trigger"})
    _expect_refusal(lambda: f.call("POST", path, {"reason": "trigger again"}))


def _expect_refusal(action: Callable[[], Any]) -> None:
    from openvoucher.cli.remote import RemoteError

    try:
        action()
    except RemoteError as error:
        if error.status != 400:
            raise
        return
    raise RuntimeError("the operation meant to fail succeeded")


def gift_balance(f: Fixtures) -> None:
    """A gift card held by a new customer gets 10.00 added."""
    customer = f.customer()
    code = f.name("gift").upper()
    f.call("POST", f"/v1/vouchers/{code}", {"type": "GIFT_VOUCHER", "gift": {"amount": 5000}})
    f.call("POST", "/v1/publications", {"voucher": code, "customer": {"id": customer["id"]}})
    f.call("POST", f"/v1/vouchers/{code}/balance", {"amount": 1000})


def loyalty_order(f: Fixtures) -> None:
    """A member of a new programme (1 point per 1.00) pays a 50.00 order: 50 points."""
    programme = f.programme()
    f.earning_rule(programme)
    customer = f.customer()
    f.member(programme, customer)
    body = {"status": "PAID", "amount": 5000, "customer": {"id": customer["id"]}}
    f.call("POST", "/v1/orders", body)


def loyalty_points_added(f: Fixtures) -> None:
    """A member gets 100 points added by hand."""
    card = f.member(f.programme(), f.customer())
    f.add_points(card["code"], 100, reason="trigger")


def points_expired(f: Fixtures) -> None:
    """A member gets 25 points expiring tomorrow; the server clock is moved two days on."""
    card = f.member(f.programme(), f.customer())
    clock = f.call("GET", "/v1/_test/clock")
    today = str(clock["now"])[:10]
    from datetime import date, timedelta

    tomorrow = date.fromisoformat(today) + timedelta(days=1)
    f.add_points(card["code"], 25, expiration_type="CUSTOM_DATE", expiration_date=str(tomorrow))
    moved = f.call("POST", "/v1/_test/clock", {"advance": "2d"})
    f.notes.append(f"moved the server clock forward two days, to {moved['now']}")


def earning_rules(f: Fixtures) -> None:
    """Assign, update, disable, enable and delete an earning rule."""
    programme = f.programme()
    rule = f.earning_rule(programme)
    path = f"/v1/loyalties/{programme['id']}/earning-rules/{rule['id']}"
    f.call("PUT", path, {"source": {"banner": "Trigger points (changed)"}})
    f.call("POST", path + "/disable")
    f.call("POST", path + "/enable")
    f.call("DELETE", path)


def loyalty_tiers(f: Fixtures) -> None:
    """Tiers Bronze (0-99) and Silver (100+); a member joins, moves up, down, and leaves."""
    programme = f.programme()
    base = f"/v1/loyalties/{programme['id']}/tiers"
    bronze, silver = f.call(
        "POST",
        base,
        [
            {"name": "Bronze", "points": {"from": 0, "to": 99}},
            {"name": "Silver", "points": {"from": 100, "to": None}},
        ],
    )
    f.call("PUT", f"{base}/{silver['id']}", {"name": "Silver Plus"})
    code = f.member(programme, f.customer())["code"]
    f.add_points(code, 10)
    f.add_points(code, 100)
    f.add_points(code, -100)
    f.call("DELETE", f"{base}/{bronze['id']}")


def promotion_tiers(f: Fixtures) -> None:
    """A PROMOTION campaign with two tiers: one changed, switched off and on; a stack of both
    created and renamed; then the second tier deleted."""
    tiers = [
        {"name": name, "action": {"discount": {"type": "AMOUNT", "amount_off": 500}}}
        for name in ("Tier A", "Tier B")
    ]
    body = {
        "name": f.name("promotion"),
        "campaign_type": "PROMOTION",
        "promotion": {"tiers": tiers},
    }
    campaign = f.call("POST", "/v1/campaigns", body)
    first, second = (tier["id"] for tier in campaign["promotion"]["tiers"])
    f.call("PUT", f"/v1/promotions/tiers/{first}", {"banner": "changed by trigger"})
    f.call("POST", f"/v1/promotions/tiers/{first}/disable")
    f.call("POST", f"/v1/promotions/tiers/{first}/enable")
    stacks = f"/v1/promotions/{campaign['id']}/stacks"
    stack = f.call("POST", stacks, {"name": "Trigger stack", "tiers": {"ids": [first, second]}})
    f.call("PUT", f"{stacks}/{stack['id']}", {"name": "Trigger stack (renamed)"})
    f.call("DELETE", f"/v1/promotions/tiers/{second}")


def orders(f: Fixtures) -> None:
    """One order is created and paid, another created and canceled."""
    customer = {"id": f.customer()["id"]}
    paid = f.call("POST", "/v1/orders", {"amount": 2000, "customer": customer})
    f.call("PUT", f"/v1/orders/{paid['id']}", {"status": "PAID"})
    dropped = f.call("POST", "/v1/orders", {"amount": 1000, "customer": customer})
    f.call("PUT", f"/v1/orders/{dropped['id']}", {"status": "CANCELED"})


def custom_event(f: Fixtures) -> None:
    """A custom event for a new customer."""
    body = {"event": "trigger_event", "customer": {"id": f.customer()["id"]}}
    f.call("POST", "/v1/events", body)


@dataclass(frozen=True)
class Entry:
    """A scenario, the events it makes happen, and the service module it needs."""

    run: Scenario
    events: tuple[str, ...]
    requires: str | None = None


CATALOG = (
    Entry(customer_created, ("customer.created",)),
    Entry(customer_updated, ("customer.updated",)),
    Entry(customer_deleted, ("customer.deleted",)),
    Entry(campaign_created, ("campaign.created", "campaign.vouchers.generation.completed")),
    Entry(campaign_updated, ("campaign.updated",)),
    Entry(campaign_toggled, ("campaign.disabled", "campaign.enabled")),
    Entry(campaign_deleted, ("campaign.deleted",)),
    Entry(voucher_created, ("voucher.created",)),
    Entry(voucher_updated, ("voucher.updated",)),
    Entry(voucher_toggled, ("voucher.disabled", "voucher.enabled")),
    Entry(voucher_deleted, ("voucher.deleted",)),
    Entry(
        publication,
        ("voucher.published", "publication.succeeded", "customer.publication.succeeded"),
    ),
    Entry(
        orders,
        (
            "customer.order.created",
            "customer.order.updated",
            "customer.order.paid",
            "customer.order.canceled",
        ),
    ),
    Entry(custom_event, ("customer.custom_event",)),
    Entry(
        redemption_succeeded,
        ("redemption.succeeded", "customer.redemption.succeeded"),
        "checkout.redemptions",
    ),
    Entry(redemption_failed, ("redemption.failed",), "redemptions"),
    Entry(
        rollbacks,
        (
            "redemption.rollback.succeeded",
            "customer.redemption.rollback.succeeded",
            "redemption.rollback.failed",
        ),
        "checkout.rollbacks",
    ),
    Entry(
        gift_balance,
        (
            "voucher.gift.balance_added",
            "voucher.gift.transaction.created",
            "customer.voucher.gift.balance_added",
        ),
        "gift_cards.credits",
    ),
    Entry(
        loyalty_order,
        ("customer.rewarded.loyalty_points", "voucher.loyalty_card.transaction.created"),
        "loyalty.earning_rules",
    ),
    Entry(
        loyalty_points_added,
        ("voucher.loyalty_card.points_added", "customer.voucher.loyalty_card.points_added"),
        "loyalty.loyalty_cards",
    ),
    Entry(
        points_expired,
        ("voucher.loyalty_card.points_expired", "customer.voucher.loyalty_card.points_expired"),
        "loyalty.points_expiration",
    ),
    Entry(
        earning_rules,
        tuple(
            f"campaign.earning_rule.{kind}"
            for kind in ("assigned", "updated", "disabled", "enabled", "deleted")
        ),
        "loyalty.earning_rules",
    ),
    Entry(
        loyalty_tiers,
        (
            "campaign.loyalty_tier.created",
            "campaign.loyalty_tier.updated",
            "campaign.loyalty_tier.deleted",
            "customer.loyalty.tier.joined",
            "customer.loyalty.tier.upgraded",
            "customer.loyalty.tier.downgraded",
            "customer.loyalty.tier.left",
        ),
        "loyalty.tiers",
    ),
    Entry(
        promotion_tiers,
        (
            *(
                f"campaign.promotion_tier.{kind}"
                for kind in ("created", "updated", "disabled", "enabled", "deleted")
            ),
            "campaign.promotion_stack.created",
            "campaign.promotion_stack.updated",
        ),
        "checkout.promotions",
    ),
)


def available(entry: Entry) -> bool:
    """True when the service behind the scenario is part of this build."""
    if entry.requires is None:
        return True
    return importlib.util.find_spec(f"openvoucher.{entry.requires}") is not None


def scenarios() -> dict[str, Entry]:
    """Every event ``trigger`` can make happen, with its scenario."""
    return {event: entry for entry in CATALOG if available(entry) for event in entry.events}
