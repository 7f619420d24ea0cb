"""Balance tiers with ``CUSTOM`` expiration (build/loyalty-tiers.mdx, "Point balance").

The member reaches a tier by balance; from that instant the tier holds for the programme's
``extend`` (months, days), rounded to the start or end of the ``rounding`` period, even when the
balance falls out of the range. A higher tier reached meanwhile is an upgrade (a new count);
at expiry (``period_tiers.expire_due_tiers``) the balance decides again: the same tier again
is ``prolonged`` (counted from the expiry), a lower one ``downgraded``, none ``left``. A
removed tier is lost at once. See docs/adr/0058.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.kernel.clock import iso, parse_datetime
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty import tiers as balance_tiers
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain import tier_periods as periods
from openvoucher.loyalty.domain import tier_rounding
from openvoucher.loyalty.repositories import period_tiers as repo


def _membership(
    tx: Tx, tier: dict[str, Any], expiration: dict[str, Any], since: str | None = None
) -> dict[str, Any]:
    """The member's tier counted from ``since`` (default: now)."""
    months, days = periods.parse_extend(expiration.get("extend")) or (0, 0)
    rounding = tier_rounding.of(expiration.get("rounding"))
    zone = repo.zone(tx.conn, tx.project_id)
    start = parse_datetime(since) if since else tx.now
    ends = periods.custom_expiry(start, months, days, rounding, zone)
    last_day = (ends - timedelta(microseconds=1)).astimezone(zone).date()
    return {
        "id": tier["id"],
        "since": since or iso(tx.now),
        "expires_at": iso(ends),
        "expiration_date": last_day.isoformat(),
    }


def _kept(held: dict[str, Any] | None, old: dict[str, Any] | None, fit: Any, tx: Tx) -> bool:
    """A valid grant keeps its tier unless the balance reaches a higher one."""
    ends = (held or {}).get("expires_at")
    if old is None or ends is None or parse_datetime(ends) <= tx.now:
        return False
    return fit is None or bool(fit["points_from"] <= old["points_from"])


def refresh(
    tx: Tx,
    card: dict[str, Any],
    expiration: dict[str, Any],
    tiers: list[dict[str, Any]],
    gone: dict[str, Any] | None = None,
    *,
    recount: bool = False,
) -> None:
    """Record the member's tier under CUSTOM expiry; emit and fire rules on a change
    (``recount``: the settings changed, a kept tier's expiry is counted again from when it
    was reached)."""
    held = card["attrs"].get("loyalty_tier")
    old = next((t for t in tiers if held and t["id"] == held["id"]), None)
    was = old or (gone if gone is not None and held and held["id"] == gone["id"] else None)
    fit = points_math.tier_for(int(card["loyalty_balance"] or 0), tiers)
    if _kept(held, old, fit, tx):
        if recount and held is not None and old is not None:
            _recount(tx, card, held, old, expiration)
        return
    new = fit
    if new is None and was is None:
        return
    membership = _membership(tx, new, expiration) if new else None
    attrs = {**card["attrs"], "loyalty_tier": membership}
    VoucherRepository(tx.conn, tx.project_id).update(card["id"], {"attrs": attrs})
    if was is not None and new is not None and was["id"] == new["id"]:
        if held and held.get("expires_at"):
            _emit(tx, card, "customer.loyalty.tier.prolonged", None, new, membership)
        return
    kind, _ = balance_tiers.transition(tx, card, was, new, membership)
    _emit(tx, card, kind, was, new, membership)


def _emit(
    tx: Tx,
    card: dict[str, Any],
    kind: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    membership: dict[str, Any] | None,
) -> None:
    data = balance_tiers.transition(tx, card, old, new, membership)[1]
    balance_tiers.announce(tx, card, (kind, data), old, new, membership)


def _recount(
    tx: Tx,
    card: dict[str, Any],
    held: dict[str, Any],
    level: dict[str, Any],
    expiration: dict[str, Any],
) -> None:
    """The held tier's expiry under changed settings, from when it was reached: stored when
    it moves; a later one is a prolongation."""
    membership = _membership(tx, level, expiration, held.get("since"))
    if membership["expires_at"] == held.get("expires_at"):
        return
    attrs = {**card["attrs"], "loyalty_tier": membership}
    VoucherRepository(tx.conn, tx.project_id).update(card["id"], {"attrs": attrs})
    before = held.get("expires_at")
    if before is None or parse_datetime(before) < parse_datetime(membership["expires_at"]):
        _emit(tx, card, "customer.loyalty.tier.prolonged", None, level, membership)
