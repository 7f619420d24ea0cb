"""Tiers by points collected in a period: each member's grant, its expiry, the expiry job.

``refresh`` replaces the balance rule of ``loyalty.tiers`` for programmes whose
``loyalty_tiers_expiration`` is ``POINTS_IN_PERIOD``: after every points transaction the
member holds the tier their collected points grant (``domain.tier_periods.grant``), so spending
points keeps the tier. A grant that expires is settled by ``expire_due_tiers`` at that instant
(the periodic job; time travel stops there): the member moves to what an earlier or the
current period still grants (``downgraded``) or leaves the tiers (``left``); a grant renewed
to a later expiry emits ``customer.loyalty.tier.prolonged``. See docs/adr/0057.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.catalog.repositories.vouchers import VoucherFilter, VoucherRepository
from openvoucher.kernel.clock import iso, parse_datetime
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import tiers as balance_tiers
from openvoucher.loyalty.domain import tier_periods as periods
from openvoucher.loyalty.domain import tier_settings
from openvoucher.loyalty.domain.tier_settings import FIELD
from openvoucher.loyalty.repositories import period_tiers as repo
from openvoucher.platform.periodic import PeriodicJob, in_every_project

log = logging.getLogger("openvoucher.loyalty")

BATCH = 500
NEXT = "loyalty_tier_next"


def rules(tx: Tx, campaign: dict[str, Any]) -> periods.PeriodRules:
    """The programme's period rules in the project's time zone."""
    return periods.rules_of(campaign["attrs"][FIELD], repo.zone(tx.conn, tx.project_id))


def _grant(
    tx: Tx, card: dict[str, Any], campaign: dict[str, Any], tiers: list[dict[str, Any]]
) -> tuple[periods.Grant | None, periods.PeriodRules, datetime | None]:
    """The grant held now, the rules, and when a grant postponed to the next period starts."""
    found = rules(tx, campaign)

    def earned(begin: datetime, end: datetime) -> int:
        return repo.collected(tx.conn, tx.project_id, card["id"], begin, end)

    pending = periods.upcoming(tx.now, found, tiers, earned)
    return periods.grant(tx.now, found, tiers, earned), found, pending


def _with_pending(tx: Tx, card: dict[str, Any], pending: datetime | None) -> dict[str, Any]:
    """The card with ``attrs.loyalty_tier_next`` (a ``NEXT_PERIOD`` grant's start) stored."""
    value = iso(pending) if pending is not None else None
    if card["attrs"].get(NEXT) == value:
        return card
    attrs = {**card["attrs"], NEXT: value}
    VoucherRepository(tx.conn, tx.project_id).update(card["id"], {"attrs": attrs})
    return {**card, "attrs": attrs}


def _keeps(
    held: dict[str, Any] | None, old: dict[str, Any] | None, new: Any, now: datetime
) -> bool:
    """A tier with an expiry is never downgraded before it (tier structure changes,
    build/loyalty-tiers.mdx); a removed tier (``old`` None) is lost at once."""
    if held is None or old is None or held.get("expires_at") is None:
        return False
    if parse_datetime(held["expires_at"]) <= now:
        return False
    return new is None or bool(new["points_from"] < old["points_from"])


def _membership(
    tx: Tx, grant: periods.Grant, found: periods.PeriodRules, since: str | None
) -> dict[str, Any]:
    last_day = (grant.expires_at - timedelta(microseconds=1)).astimezone(found.zone).date()
    return {
        "id": grant.tier["id"],
        "since": since or iso(tx.now),
        "expires_at": iso(grant.expires_at),
        "expiration_date": last_day.isoformat(),
    }


def refresh(
    tx: Tx,
    card: dict[str, Any],
    campaign: dict[str, Any],
    tiers: list[dict[str, Any]],
    gone: dict[str, Any] | None = None,
) -> None:
    """Record the tier the member's collected points grant; emit and fire rules on a change."""
    grant, found, pending = _grant(tx, card, campaign, tiers)
    card = _with_pending(tx, card, pending)
    held = card["attrs"].get("loyalty_tier")
    known = [*tiers, gone] if gone is not None else tiers
    old = next((t for t in known if held and t["id"] == held["id"]), None)
    new = grant.tier if grant else None
    if _keeps(held, next((t for t in tiers if held and t["id"] == held["id"]), None), new, tx.now):
        return
    if old is not None and new is not None and old["id"] == new["id"]:
        assert grant is not None
        assert held is not None
        _renew(tx, card, held, _membership(tx, grant, found, held["since"]), new)
        return
    if old is None and new is None:
        return
    membership = _membership(tx, grant, found, None) if grant else None
    _store(tx, card, membership)
    kind, data = balance_tiers.transition(tx, card, old, new, membership)
    balance_tiers.announce(tx, card, (kind, data), old, new, membership)


def _store(tx: Tx, card: dict[str, Any], membership: dict[str, Any] | None) -> None:
    attrs = {**card["attrs"], "loyalty_tier": membership}
    VoucherRepository(tx.conn, tx.project_id).update(card["id"], {"attrs": attrs})


def _renew(
    tx: Tx,
    card: dict[str, Any],
    held: dict[str, Any],
    membership: dict[str, Any],
    level: dict[str, Any],
) -> None:
    """Same tier: a later expiry is a prolongation (event); an earlier one is just stored."""
    before = held.get("expires_at")
    if before == membership["expires_at"]:
        return
    _store(tx, card, membership)
    if before is not None and parse_datetime(before) > parse_datetime(membership["expires_at"]):
        return
    event = "customer.loyalty.tier.prolonged", _prolonged(tx, card, level, membership)
    balance_tiers.announce(tx, card, event, level, level, membership)


def _prolonged(
    tx: Tx, card: dict[str, Any], level: dict[str, Any], membership: dict[str, Any]
) -> dict[str, Any]:
    return balance_tiers.transition(tx, card, None, level, membership)[1]


def expire_due_tiers(
    uow: UnitOfWork, project_id: str | None, now: datetime, *, exclude: Collection[str] = ()
) -> int:
    """Settle every period tier grant expired by ``now`` (of one project, or of all but
    ``exclude``); how many members changed tier."""
    with uow.read(project_id or "") as tx:
        found = repo.programmes(tx.conn, project_id, exclude)
    total = 0
    for project, group in groupby(found, key=lambda row: str(row["project_id"])):
        for programme in group:
            total += _expire_programme(uow, project, programme["id"], now)
    return total


def expire_all_due(uow: UnitOfWork, now: datetime) -> int:
    """Settle expired grants in every project, each at its own time."""
    return in_every_project(uow, now, expire_due_tiers)


def _due(card: dict[str, Any], now: datetime) -> bool:
    held = card["attrs"].get("loyalty_tier") or {}
    times = [held.get("expires_at"), card["attrs"].get(NEXT)]
    return any(at is not None and parse_datetime(at) <= now for at in times)


def _expire_programme(uow: UnitOfWork, project_id: str, campaign_id: str, now: datetime) -> int:
    changed, offset = 0, 0
    while True:
        with uow.write(project_id) as tx:
            campaign = CampaignRepository(tx.conn, tx.project_id).get(campaign_id)
            if campaign is None:
                return changed
            cards = VoucherRepository(tx.conn, tx.project_id)
            rows, _ = cards.page(
                VoucherFilter(campaign_id=campaign_id),
                order="created_at",
                limit=BATCH,
                offset=offset,
            )
            for row in rows:
                changed += _expire_card(tx, cards, row["id"], now)
        if len(rows) < BATCH:
            return changed
        offset += BATCH


def _expire_card(tx: Tx, cards: VoucherRepository, card_id: str, now: datetime) -> int:
    card = cards.get_locked(card_id)
    if card is None or not _due(card, now):
        return 0
    balance_tiers.refresh(tx, card)
    return 1


def next_due(tx: Tx, after: datetime, until: datetime) -> datetime | None:
    """The project's first instant in ``(after, until]`` at which a tier grant starts or
    expires (period tiers: from the settings; CUSTOM balance tiers: from the members)."""
    found = [
        periods.next_instant(after, rules(tx, row))
        if tier_settings.is_period_based(row)
        else repo.next_member_expiry(tx.conn, tx.project_id, row["id"], after)
        for row in repo.programmes(tx.conn, tx.project_id)
    ]
    due = [at for at in found if at is not None and at <= until]
    return min(due) if due else None


class TierExpiryWorker(PeriodicJob):
    """Runs :func:`expire_all_due` every ``interval`` seconds on a background thread."""

    thread_name = "tier-expiry"
    done = "settled %d expired tier grants"
    failed = "tier expiry failed"

    def job(self, now: datetime) -> int:
        """One pass at ``now``."""
        return expire_all_due(self.uow, now)
