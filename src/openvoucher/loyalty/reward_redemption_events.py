"""``customer.reward_redemptions.*``: a member's reward redemption, as it is created and handed
over.

Rewards are delivered inside the redeeming transaction, so one redemption emits ``created`` and
then ``completed`` (a digital reward: vouchers, credits, points) or ``pending`` (a MATERIAL
reward, which someone still has to ship).
"""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso
from openvoucher.kernel.events import Event
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty.domain import rewards as rules
from openvoucher.loyalty.presenters.rewards import assignment


def reward_redemption(
    tx: Tx, row: dict[str, Any], card: dict[str, Any], offer: dict[str, Any], state: str
) -> dict[str, Any]:
    """The ``RewardRedemption`` of redemption ``row`` (its id is the redemption's)."""
    body = {
        "id": row["id"],
        "customer_id": row["customer_id"],
        "reward_assignment_id": offer["id"],
        "voucher_id": card["id"],
        "campaign_id": card["campaign_id"],
        "created_at": iso(row["created_at"]),
        "state": state,
        "source_type": "redemption",
        "source_id": row["id"],
    }
    if state != "CREATED":
        body["updated_at"] = iso(tx.now)
    return body


def emit(
    tx: Tx,
    rewarded: dict[str, Any],
    row: dict[str, Any],
    card: dict[str, Any],
    offer: dict[str, Any],
    found: dict[str, Any],
) -> None:
    """``created``, then ``pending`` (MATERIAL) or ``completed`` for one reward redemption.

    ``rewarded``: the ``customer.rewarded`` data of the same redemption (customer, holder,
    the member's card as a simple voucher, the programme, the reward and the balance given).
    """
    holder = rewarded["holder"]
    base = {
        **{k: rewarded[k] for k in ("customer", "holder", "voucher", "campaign", "reward")},
        "reward_assignment": assignment(offer),
        "source": {"id": row["id"], "type": "redemption"},
        "balance": rewarded["balance"],
    }
    created = {**base, "reward_redemption": reward_redemption(tx, row, card, offer, "CREATED")}
    tx.emit(Event("customer.reward_redemptions.created", created, entity_id=holder["id"]))
    if found["type"] == rules.MATERIAL:
        pending = reward_redemption(tx, row, card, offer, "PENDING")
        data = {**base, "reward_redemption": pending}
        tx.emit(Event("customer.reward_redemptions.pending", data, entity_id=holder["id"]))
        return
    done = {**base, "reward_redemption": reward_redemption(tx, row, card, offer, "COMPLETED")}
    done["publication"] = None
    tx.emit(Event("customer.reward_redemptions.completed", done, entity_id=holder["id"]))
