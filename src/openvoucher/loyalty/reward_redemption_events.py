"""``customer.rewarded`` and ``customer.reward_redemptions.*``: a member's reward redemption,
as it is created and handed over.

Rewards are delivered inside the redeeming transaction, so one redemption emits ``created`` and
then ``completed`` (a digital reward: vouchers, credits, points) or ``pending`` (a MATERIAL
reward, which someone still has to ship).
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import vouchers
from openvoucher.catalog.presenters.campaigns import simple_campaign
from openvoucher.catalog.presenters.vouchers import simple_voucher
from openvoucher.checkout.presenters.redemptions import redemption
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.kernel.clock import iso
from openvoucher.kernel.events import Event
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty import loyalty_cards
from openvoucher.loyalty.domain import rewards as rules
from openvoucher.loyalty.model import Reward, RewardAssignment
from openvoucher.loyalty.presenters.rewards import assignment


def reward_redemption(
    tx: Tx, row: dict[str, Any], card: dict[str, Any], offer: RewardAssignment, state: str
) -> dict[str, Any]:
    """The ``RewardRedemption`` of redemption ``row`` (its id is the redemption's)."""
    body = {
        "id": row["id"],
        "customer_id": row["customer_id"],
        "reward_assignment_id": offer.id,
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
    offer: RewardAssignment,
    found: Reward,
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
    if found.type == rules.MATERIAL:
        pending = reward_redemption(tx, row, card, offer, "PENDING")
        data = {**base, "reward_redemption": pending}
        tx.emit(Event("customer.reward_redemptions.pending", data, entity_id=holder["id"]))
        return
    done = {**base, "reward_redemption": reward_redemption(tx, row, card, offer, "COMPLETED")}
    done["publication"] = None
    tx.emit(Event("customer.reward_redemptions.completed", done, entity_id=holder["id"]))


def redemption_internal(row: dict[str, Any], campaign_name: str | None) -> dict[str, Any]:
    """A redemption row as the ``redemption`` of ``customer.rewarded`` (RedemptionInternal)."""
    rendered = redemption(row)
    internal = {
        # ``reward`` is the event's own field: the spec's RedemptionRewardResult here would
        # need a ``reward`` key inside the reward (its ``required`` list names one).
        **{
            k: v
            for k, v in rendered.items()
            if k not in {"date", "channel", "loyalty_card", "reward"}
        },
        "created_at": rendered["date"],
        "channel_type": "API",
        "campaign_name": campaign_name,
    }
    internal.pop("related_redemptions", None)
    return internal


def emit_rewarded(
    tx: Tx,
    card: dict[str, Any],
    holder: dict[str, Any] | None,
    row: dict[str, Any],
    delivered: dict[str, Any],
) -> dict[str, Any] | None:
    """Emit ``customer.rewarded``; its data (None without a holder)."""
    if holder is None:
        return None
    campaign = loyalty_cards.campaign_of(tx, card)
    ref = customer_ref(holder)
    data = {
        "customer": ref,
        "holder": ref,
        "voucher": simple_voucher(vouchers.render(tx, card)),
        "campaign": simple_campaign(campaign) if campaign else None,
        "redemption": redemption_internal(row, card.get("campaign_name")),
        "reward": row["attrs"]["reward"],
        "referral_tier": None,
        "balance": delivered.get("balance"),
        "custom_event": None,
        "customer_event": None,
    }
    tx.emit(Event("customer.rewarded", data, entity_id=holder["id"]))
    return data
