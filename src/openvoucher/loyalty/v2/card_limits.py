"""A v2 card's earning and spending limits, judged against the append-only records.

What a card earned in the period is summed from ``loyalty_v2_earnings``, what it spent from the
v1 ledger's redemptions (less their refunds): never from counters that can drift. The caller
has locked the card (``loyalty_cards.lock_card``) first, so two concurrent earnings or spends
on one card are judged one after the other, each seeing what the other wrote.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from openvoucher.kernel import project_time
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty import loyalty_cards
from openvoucher.loyalty.domain import v2_card_limits as rules
from openvoucher.loyalty.repositories.v2 import ObjectRepository
from openvoucher.loyalty.repositories.v2_earnings import earned_since
from openvoucher.loyalty.repositories.v2_members import CardRepository
from openvoucher.platform import project_zone


def _setting(tx: Tx, card: dict[str, Any], field: str, wallet: dict[str, Any] | None) -> Any:
    if wallet is None:
        wallet = ObjectRepository(tx.conn, tx.project_id).of_kind(
            "card_definition", card["card_definition_id"]
        )
    assert wallet is not None
    return wallet["attrs"].get(field) or {}


def _limited(setting: dict[str, Any]) -> bool:
    return any((setting.get(p) or {}).get("type") == "LIMITED" for p in ("global", "transactions"))


def _since(tx: Tx, setting: dict[str, Any]) -> datetime | None:
    unit = rules.period_unit(setting)
    if unit is None:
        return None
    zone = project_zone.zone_name(tx)
    first = rules.period_start(unit, project_time.local_date(tx.now, zone))
    return project_time.to_utc(first, zone)


def earnable(
    tx: Tx, card: dict[str, Any], points: int, wallet: dict[str, Any] | None = None
) -> int:
    """The points an earning of ``points`` gives the card under its wallet's
    ``earning_limits`` (the card is locked first when they limit anything)."""
    setting = _setting(tx, card, "earning_limits", wallet)
    if not _limited(setting):
        return points
    voucher = loyalty_cards.lock_card(tx, card["voucher_id"])
    since = _since(tx, setting)
    earned = earned_since(
        tx.conn, tx.project_id, (card["member_id"], card["card_definition_id"]), since
    )
    pending = CardRepository(tx.conn, tx.project_id).pending_totals(card["voucher_id"])
    balance = int(voucher["loyalty_balance"] or 0) + pending.get("PENDING", 0)
    return rules.earnable(setting, points, rules.Usage(in_period=earned, balance=balance))


def spendable(tx: Tx, card: dict[str, Any]) -> int | None:
    """The most points one spend may take from the (locked) card under its wallet's
    ``spending_limits`` (None: no limit)."""
    setting = _setting(tx, card, "spending_limits", None)
    if not _limited(setting):
        return None
    cards = CardRepository(tx.conn, tx.project_id)
    since = _since(tx, setting)
    spent = cards.spent_since(card["voucher_id"], since)
    lifetime = spent if since is None else cards.spent_since(card["voucher_id"], None)
    return rules.spendable(setting, rules.Usage(in_period=spent, lifetime=lifetime))
