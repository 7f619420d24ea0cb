"""The points expiration job: due buckets become ``POINTS_EXPIRATION`` transactions.

``expire_due_points`` works in batches, each one transaction per project: it reads the due
buckets, appends one transaction per card, updates the cards and buckets with executemany,
and emits each card's events (the same as ``loyalty_cards.apply_points`` would). On
PostgreSQL each batch first takes a transaction-level advisory lock, so of several workers
only one acts at a time; SQLite's single writer serialises them anyway.

The :class:`PointsExpirationWorker` runs it in the background on the injected clock's time.
"""

from __future__ import annotations

import gc
import logging
from collections import defaultdict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from openvoucher.adapters.db.outbox_parts import insert_parts
from openvoucher.adapters.db.unit_of_work import outbox_rows
from openvoucher.catalog.presenters.campaigns import simple_campaign
from openvoucher.catalog.presenters.vouchers import voucher
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.kernel.ids import sorted_ids
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import loyalty_events, period_tiers, tiers
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.presenters.loyalty import loyalty_balance, tier
from openvoucher.loyalty.repositories import expiry_bulk as bulk
from openvoucher.loyalty.repositories import loyalty as repo
from openvoucher.loyalty.repositories.loyalty_rules import TierRepository
from openvoucher.platform import project_zone
from openvoucher.platform.periodic import PeriodicJob, in_every_project

log = logging.getLogger("openvoucher.loyalty")

BATCH = 2000
COUNTER = "loyalty_expired_points"


def expire_due_points(
    uow: UnitOfWork, project_id: str | None, now: datetime, *, exclude: Collection[str] = ()
) -> int:
    """Expire every bucket due at ``now`` (of one project, or all but ``exclude``); how many
    buckets."""
    total = 0
    while True:
        project = project_id or _next_project(uow, now, exclude)
        if project is None:
            return total
        done = _expire_batch(uow, project, now)
        if done == 0:
            return total
        total += done


def expire_all_due(uow: UnitOfWork, now: datetime) -> int:
    """Expire what is due in every project: at ``now``, or at a project's own time when its
    dev clock is its own (time travel per project). Expiring tiers are settled first, as a
    new day's work goes (build/loyalty-points.mdx: tiers, then points)."""
    in_every_project(uow, now, period_tiers.expire_due_tiers)
    return in_every_project(uow, now, expire_due_points)


def _next_project(uow: UnitOfWork, now: datetime, exclude: Collection[str]) -> str | None:
    with uow.read("") as tx:
        return repo.next_due_project(tx.conn, now, exclude)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic collector off for one batch: a batch keeps thousands of rendered objects
    alive, and the collections they trigger scanned them over and over (a third of the job's
    CPU). Nothing of a batch is cyclic garbage; reference counting frees it as usual, and
    any other thread's cycles are collected when the batch ends. Re-enabled only if it was on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _expire_batch(uow: UnitOfWork, project_id: str, now: datetime) -> int:
    with _gc_paused(), uow.write(project_id) as tx:
        if not repo.try_lead(tx.conn):
            return 0
        repo.widen_cache(tx.conn)
        due = repo.due_buckets(tx.conn, project_id, now, BATCH)
        if not due:
            return 0
        by_card: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in due:
            by_card[row["voucher_id"]].append(row)
        _expire_cards(tx, by_card)
        bulk.expire_buckets(tx.conn, [row["seq"] for row in due], tx.now)
        return len(due)


def _cards(tx: Tx, ids: list[str]) -> list[dict[str, Any]]:
    """The cards, each campaign's attrs read (and decoded) once for the batch."""
    rows = repo.cards_for_expiry(tx.conn, tx.project_id, ids)
    found: dict[str, Any] = {}
    campaigns = CampaignRepository(tx.conn, tx.project_id)
    for row in rows:
        campaign_id = row["campaign_id"]
        if campaign_id is not None and campaign_id not in found:
            campaign = campaigns.get(campaign_id)
            found[campaign_id] = campaign["attrs"] if campaign else None
        row["campaign_attrs"] = found.get(campaign_id or "")
    return rows


def _next_expirations(
    tx: Tx, ids: list[str], expiring: set[str]
) -> dict[str, dict[str, Any] | None]:
    left: dict[str, list[points_math.Bucket]] = defaultdict(list)
    for row in repo.active_of_vouchers(tx.conn, tx.project_id, ids):
        if row["id"] not in expiring:
            bucket = points_math.Bucket(
                row["id"], int(row["points"]), row["expires_at"], row["seq"]
            )
            left[row["voucher_id"]].append(bucket)
    found: dict[str, dict[str, Any] | None] = {}
    for card_id in ids:
        upcoming = points_math.next_expiration(left.get(card_id, []), project_zone.zone_name(tx))
        found[card_id] = (
            {"date": upcoming[0].isoformat(), "points": upcoming[1]} if upcoming else None
        )
    return found


class _Context:
    """Campaigns, tiers and holders of a batch, each read once."""

    def __init__(self, tx: Tx, cards: list[dict[str, Any]]) -> None:
        self.tx = tx
        ids = {c["holder_id"] for c in cards if c["holder_id"]}
        self.holders = repo.customers_by_ids(tx.conn, tx.project_id, sorted(ids))
        self.campaigns: dict[str, dict[str, Any] | None] = {}
        self.tiers: dict[str, list[dict[str, Any]]] = {}

    def campaign(self, campaign_id: str | None) -> dict[str, Any] | None:
        if campaign_id is None:
            return None
        if campaign_id not in self.campaigns:
            row = CampaignRepository(self.tx.conn, self.tx.project_id).get(campaign_id)
            self.campaigns[campaign_id] = simple_campaign(row) if row else None
            tiers_of = TierRepository(self.tx.conn, self.tx.project_id).of_campaign(campaign_id)
            self.tiers[campaign_id] = tiers_of
        return self.campaigns[campaign_id]

    def known(self, card: dict[str, Any]) -> dict[str, Any]:
        campaign = self.campaign(card["campaign_id"])
        holder = self.holders.get(card["holder_id"] or "")
        membership = card["attrs"].get("loyalty_tier")
        level = None
        if membership and holder is not None:
            row = next(
                (t for t in self.tiers.get(card["campaign_id"], []) if t["id"] == membership["id"]),
                None,
            )
            level = tier(row, {**membership, "customer_id": holder["id"]}) if row else None
        return {
            "voucher": voucher(card, self.tx.base_url),
            "campaign": campaign,
            "holder": holder,
            "holder_loyalty_tier": level,
        }


def expire_bucket(tx: Tx, bucket: dict[str, Any]) -> None:
    """Expire one bucket now, by hand (the card locked by the caller): the card's
    ``POINTS_EXPIRATION`` transaction (source ``API``) and events, as the job would."""
    _expire_cards(tx, {bucket["voucher_id"]: [bucket]}, manual=True)
    bulk.expire_buckets(tx.conn, [bucket["seq"]], tx.now)


def _expire_cards(
    tx: Tx, by_card: dict[str, list[dict[str, Any]]], *, manual: bool = False
) -> None:
    ids = sorted(by_card)
    cards = _cards(tx, ids)
    expiring = {b["id"] for rows in by_card.values() for b in rows}
    upcoming = _next_expirations(tx, ids, expiring)
    context = _Context(tx, cards)
    transaction_ids = sorted_ids("loyalty_transaction", len(cards), tx.now)
    stored_rows, changed = [], []
    first_event = len(tx.events)
    for card, transaction_id in zip(cards, transaction_ids, strict=True):
        stored, updated = _expired(tx, card, by_card[card["id"]], transaction_id, upcoming)
        if manual:
            stored["source"] = "API"
            stored["details"]["balance"]["operation_type"] = "MANUAL"
        stored_rows.append(stored)
        changed.append(updated)
        taken = [{**b, "status": "EXPIRED", "updated_at": tx.now} for b in by_card[card["id"]]]
        loyalty_events.emit_transaction(tx, updated, stored, {}, taken, context.known(updated))
    _write_events(tx, first_event)
    bulk.insert_transactions(tx.conn, stored_rows)
    bulk.update_cards(tx.conn, tx.project_id, changed, tx.now)
    for updated in changed:
        if context.tiers.get(updated["campaign_id"] or ""):
            tiers.refresh(tx, updated)


def _expired(
    tx: Tx,
    card: dict[str, Any],
    buckets: list[dict[str, Any]],
    transaction_id: str,
    upcoming: dict[str, dict[str, Any] | None],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The POINTS_EXPIRATION row of one card and the card after it."""
    balance = int(card["loyalty_balance"] or 0)
    points = min(sum(int(b["points"]) for b in buckets), balance)
    after = balance - points
    attrs = {**card["attrs"], COUNTER: int(card["attrs"].get(COUNTER, 0)) + points}
    attrs["loyalty_next_expiration"] = upcoming[card["id"]]
    lifetime = int(card["loyalty_points"] or 0)
    stored = {
        "id": transaction_id,
        "project_id": tx.project_id,
        "voucher_id": card["id"],
        "campaign_id": card["campaign_id"],
        "kind": "loyalty",
        "type": points_math.POINTS_EXPIRATION,
        "amount": -points,
        "balance_after": after,
        "source_id": None,
        "source": "Automation",
        "reason": None,
        "related_transaction_id": None,
        "details": {"balance": loyalty_balance(card["id"], -points, lifetime, after, "AUTOMATIC")},
        "created_at": tx.now,
    }
    return stored, {**card, "loyalty_balance": after, "attrs": attrs, "updated_at": tx.now}


def _write_events(tx: Tx, first: int) -> None:
    """The batch's events (``tx.events[first:]``) written with one executemany instead of
    at commit, with ids that sort by creation; the relay is woken as usual."""
    batch = tx.events[first:]
    del tx.events[first:]
    tokens = sorted_ids("outbox_event", len(batch), tx.now)
    rows, parts = outbox_rows(tx, batch, tokens)
    insert_parts(tx.conn, parts)
    bulk.insert_events(tx.conn, rows)
    if batch:
        tx.wake_relay()


class PointsExpirationWorker(PeriodicJob):
    """Runs :func:`expire_due_points` every ``interval`` seconds on a background thread."""

    thread_name = "points-expiration"
    done = "expired %d loyalty point buckets"
    failed = "points expiration failed"

    def job(self, now: datetime) -> int:
        """One pass at ``now``."""
        return expire_all_due(self.uow, now)
