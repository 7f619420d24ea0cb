"""Auto-redeem (build/loyalty-points.mdx, "Auto-redeem"): the one reward of a programme whose
assignment has ``auto_redeem`` is redeemed as soon as a card's balance reaches its cost.

When points are added to a card (accrual, addition, transfer in, pending points activation;
not a refund), before the holder's tier is checked, the reward is redeemed in the same
transaction as many times as the balance pays for, at most :data:`MAX_REWARDS_PER_RUN` times
(one run), each a reward redemption (``POINTS_REDEMPTION``, the reward delivered,
``redemption.succeeded`` and ``customer.rewarded``) with channel ``AUTO_REDEEM`` and the
assignment id as ``channel_id``. A card runs at most :data:`MAX_RUNS_PER_DAY` times a day (the
anti-fraud limit; days are the project's calendar days); further runs that day do nothing.
Points a delivered reward adds to another programme's card do not auto-redeem there (no cascades).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from openvoucher.catalog import vouchers
from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.kernel import project_time
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty import tier_prices
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain import rewards as rules
from openvoucher.loyalty.model import Reward, RewardAssignment
from openvoucher.loyalty.repositories.rewards import AssignmentRepository
from openvoucher.platform import project_zone

MAX_RUNS_PER_DAY = 10
MAX_REWARDS_PER_RUN = 25
TRIGGERS = frozenset(
    {
        points_math.POINTS_ACCRUAL,
        points_math.POINTS_ADDITION,
        points_math.POINTS_TRANSFER_IN,
        points_math.PENDING_POINTS_ACTIVATION,
    }
)
"""Transactions after which the balance is checked."""
_running: ContextVar[bool] = ContextVar("auto_redeem_running", default=False)


def check_setting(
    tx: Tx,
    loyalty_params: dict[str, Any],
    programme_id: str,
    reward_id: str,
    assignment_id: str | None = None,
) -> None:
    """When ``loyalty_params`` turn ``auto_redeem`` on for an assignment: a digital or material
    reward, and no other assignment of the programme redeeming automatically (400 otherwise)."""
    if not loyalty_params.get("auto_redeem"):
        return
    from openvoucher.loyalty import rewards

    if rewards.require_reward(tx, reward_id).type == rules.COIN:
        raise rules.invalid("auto_redeem: a pay-with-points (COIN) reward cannot auto-redeem")
    for other in AssignmentRepository(tx.conn, tx.project_id).of_campaigns([programme_id]):
        if other.id != assignment_id and other.auto_redeem:
            raise rules.invalid(
                f"auto_redeem: reward assignment {other.id} already auto-redeems in this "
                "programme (one per programme)"
            )


def _offer(tx: Tx, campaign_id: str) -> RewardAssignment | None:
    """The programme's auto-redeeming assignment, looked up once per transaction (a
    transaction that adds points does not change the programme's reward assignments)."""
    key = ("auto_redeem_offer", campaign_id)
    if key not in tx.memo:
        offers = AssignmentRepository(tx.conn, tx.project_id).of_campaign(campaign_id)
        tx.memo[key] = next((o for o in offers if o.auto_redeem and o.points), None)
    found: RewardAssignment | None = tx.memo[key]
    return found


def after_points_added(tx: Tx, card: dict[str, Any], kind: str) -> dict[str, Any]:
    """Run auto-redeem on the card (locked, as just updated) after a ``kind`` transaction;
    the card as it is afterwards."""
    if kind not in TRIGGERS or _running.get():
        return card
    if card["holder_id"] is None or card["campaign_id"] is None:
        return card
    offer = _offer(tx, card["campaign_id"])
    if offer is None:
        return card
    token = _running.set(True)
    try:
        return _run(tx, card, offer)
    finally:
        _running.reset(token)


def _local_day(tx: Tx) -> str:
    """The project's calendar day now (the daily auto-redeem limit counts per local day)."""
    return project_time.local_date(tx.now, project_zone.zone_name(tx)).isoformat()


def _runs_today(tx: Tx, card: dict[str, Any]) -> int:
    done = card["attrs"].get("auto_redeem") or {}
    return int(done.get("runs") or 0) if done.get("day") == _local_day(tx) else 0


def _count(tx: Tx, card: dict[str, Any], offer: RewardAssignment, found: Reward) -> int:
    """How many rewards this run redeems (0: none)."""
    cost = tier_prices.cost_for(tx, card, offer)
    count = min(int(card["loyalty_balance"] or 0) // max(cost, 1), MAX_REWARDS_PER_RUN)
    left = found.left
    return count if left is None else min(count, left)


def _run(tx: Tx, card: dict[str, Any], offer: RewardAssignment) -> dict[str, Any]:
    from openvoucher.loyalty import reward_redemptions, rewards

    found = rewards.require_reward(tx, offer.reward_id, lock=True)
    count = _count(tx, card, offer, found)
    runs = _runs_today(tx, card)
    if count <= 0 or runs >= MAX_RUNS_PER_DAY:
        return card
    cost = tier_prices.cost_for(tx, card, offer)
    for _ in range(count):
        current = vouchers.require(tx, card["id"])
        reward_redemptions.redeem_automatically(tx, current, offer, found, cost)
    after = vouchers.require(tx, card["id"])
    attrs = {**after["attrs"], "auto_redeem": {"day": _local_day(tx), "runs": runs + 1}}
    VoucherRepository(tx.conn, tx.project_id).update(card["id"], {"attrs": attrs})
    return {**after, "attrs": attrs}
