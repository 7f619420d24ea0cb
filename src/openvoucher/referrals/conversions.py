"""Referral conversions: a referee redeeming a referral code, or sending the programme's
custom event with it, is a referral of the code's holder (the referrer).

A referral counts once per referee and referrer in a campaign. When it counts — in the
transaction of the redemption or event — the referee's ``referrals`` and the referrer's
``loyalty.referred_customers`` grow, the referee gets the programme's ``referee_reward``
(points or gift credits), and the referrer gets every reward assigned to the campaign
(``POST /v1/rewards/{id}/assignments`` with the campaign: each assignment is a referral tier
rewarding each unique referee), each with ``customer.rewarded``.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import vouchers
from openvoucher.catalog.domain.campaigns import REFERRAL
from openvoucher.catalog.presenters.campaigns import simple_campaign
from openvoucher.catalog.presenters.vouchers import simple_voucher
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.customers import customers
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.gift_cards import credits as gift_cards
from openvoucher.kernel import ledger
from openvoucher.kernel.clock import iso
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty import loyalty_cards, reward_redemption_events, reward_redemptions
from openvoucher.loyalty import programmes as loyalty
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.model import RewardAssignment
from openvoucher.loyalty.presenters.rewards import reward_result
from openvoucher.loyalty.repositories.rewards import AssignmentRepository, RewardRepository
from openvoucher.referrals.domain import referrals as rules
from openvoucher.referrals.model import ConversionOrigin, ReferralCode
from openvoucher.referrals.repositories.referrals import ReferralRepository


def program_of(tx: Tx, voucher: dict[str, Any]) -> dict[str, Any] | None:
    """The referral campaign of a voucher, or None when it is no referral code."""
    if voucher.get("campaign_id") is None:
        return None
    campaign = CampaignRepository(tx.conn, tx.project_id).get(voucher["campaign_id"])
    if campaign is None or campaign["campaign_type"] != REFERRAL:
        return None
    return campaign


def referrer_in(rows: dict[str, dict[str, Any]], customer: dict[str, Any] | None) -> str | None:
    """The referrer of the first referral code among the redeemed vouchers (not the
    customer themself), or None."""
    for row in rows.values():
        holder = row["holder_id"]
        referral = (row.get("campaign_attrs") or {}).get("is_referral_code")
        if referral and holder and holder != (customer or {}).get("id"):
            return str(holder)
    return None


def on_redeemed(
    tx: Tx, voucher: dict[str, Any], customer: dict[str, Any] | None, row: dict[str, Any]
) -> None:
    """After a successful redemption of ``voucher`` (read with its campaign's attrs): a
    referral code redeemed by a referee converts when the programme converts on redemptions."""
    if not (voucher.get("campaign_attrs") or {}).get("is_referral_code"):
        return  # no query for the vouchers that are no referral codes
    campaign = program_of(tx, voucher)
    if campaign is None or customer is None:
        return
    referrer_id = voucher["holder_id"]
    if referrer_id is None or referrer_id == customer["id"]:
        return
    if rules.converts_on_redemption(campaign["attrs"].get("referral_program")):
        convert(tx, campaign, voucher, referrer_id, customer, ConversionOrigin.of_redemption(row))


def event_referral(tx: Tx, given: dict[str, Any] | None) -> ReferralCode | None:
    """The referral code (locked: concurrent events of one code count each referee once) and
    campaign a custom event's ``referral.code`` names, or None without a code."""
    code = (given or {}).get("code")
    if not code:
        return None
    voucher = VoucherRepository(tx.conn, tx.project_id).get_by_code_or_id(str(code), lock=True)
    if voucher is None:
        raise NotFound("voucher", str(code))
    campaign = program_of(tx, voucher)
    if campaign is None:
        raise InvalidPayload("Invalid payload", f"referral.code: {code} is no referral code")
    return ReferralCode(voucher, campaign)


def event_data(tx: Tx, found: ReferralCode | None) -> dict[str, Any] | None:
    """The ``referral`` of ``customer.custom_event``: referrer, code and campaign."""
    if found is None:
        return None
    holder = found.voucher["holder_id"]
    referrer = customers.by_id(tx, holder) if holder else None
    return {
        "referrer": customer_ref(referrer) if referrer else None,
        "voucher": simple_voucher(vouchers.render(tx, found.voucher)),
        "campaign": simple_campaign(found.campaign),
    }


def on_custom_event(
    tx: Tx,
    name: str,
    customer: dict[str, Any],
    found: ReferralCode | None,
    event: dict[str, Any],
) -> None:
    """A custom event with a referral code converts when it is the programme's event."""
    if found is None:
        return
    voucher, campaign = found.voucher, found.campaign
    referrer_id = voucher["holder_id"]
    if referrer_id is None or referrer_id == customer["id"]:
        return
    if rules.converts_on_event(campaign["attrs"].get("referral_program"), name):
        convert(tx, campaign, voucher, referrer_id, customer, ConversionOrigin.of_event(event))


def convert(
    tx: Tx,
    campaign: dict[str, Any],
    voucher: dict[str, Any],
    referrer_id: str,
    referee: dict[str, Any],
    origin: ConversionOrigin,
) -> bool:
    """Count the referral (once per referee and referrer) and reward; whether it counted."""
    repo = ReferralRepository(tx.conn, tx.project_id)
    if repo.exists(campaign["id"], referrer_id, referee["id"]):
        return False
    repo.insert(
        {
            "id": new_id("referral"),
            "campaign_id": campaign["id"],
            "voucher_id": voucher["id"],
            "referrer_id": referrer_id,
            "referee_id": referee["id"],
            "related_object_type": origin.kind,
            "related_object_id": origin.id,
            "created_at": tx.now,
        }
    )
    referrer = customers.by_id(tx, referrer_id)
    assert referrer is not None
    _count(tx, campaign, referrer, referee, origin)
    _reward_referee(tx, campaign["attrs"].get("referral_program") or {}, referee)
    for offer in AssignmentRepository(tx.conn, tx.project_id).of_campaigns([campaign["id"]]):
        _reward_referrer(tx, campaign, voucher, referrer, offer, origin)
    return True


def _count(
    tx: Tx,
    campaign: dict[str, Any],
    referrer: dict[str, Any],
    referee: dict[str, Any],
    origin: ConversionOrigin,
) -> None:
    """The referee's ``referrals`` (the referrer's ``loyalty.referred_customers`` are counted
    from the referral rows when the customer is read)."""
    item = {
        "campaign_id": campaign["id"],
        "referrer_id": referrer["id"],
        "related_object_id": origin.id,
        "related_object_type": origin.kind,
        "date": iso(tx.now),
    }
    customers.change_attrs(tx, referee["id"], lambda attrs: _referral(attrs, item))


def _referral(attrs: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """``attrs`` with one more referral."""
    referrals = dict(attrs.get("referrals") or {"total": 0, "campaigns": []})
    total = int(referrals.get("total") or 0) + 1
    return {**attrs, "referrals": {"total": total, "campaigns": [*referrals["campaigns"], item]}}


def _reward_referee(tx: Tx, settings: dict[str, Any], referee: dict[str, Any]) -> None:
    """Points or gift credits on the referee's card of the reward's campaign (a card is
    published to them first when they hold none)."""
    reward = settings.get("referee_reward")
    if not reward:
        return
    source = CampaignRepository(tx.conn, tx.project_id).get(reward["related_object_parent"]["id"])
    if source is None:
        return
    amount = int(reward["amount"])
    card = loyalty.card_of(tx, source["id"], referee["id"]) or loyalty.enrol(tx, source, referee)
    if reward["type"] == "GIFT_VOUCHER":
        gift_cards.apply_credits(tx, card, ledger.CREDITS_ADDITION, amount, source="Referral")
    else:
        loyalty_cards.apply_points(
            tx, card, points_math.POINTS_ADDITION, amount, source="Automation"
        )


def _reward_referrer(
    tx: Tx,
    campaign: dict[str, Any],
    voucher: dict[str, Any],
    referrer: dict[str, Any],
    offer: RewardAssignment,
    origin: ConversionOrigin,
) -> None:
    """Deliver one assigned reward to the referrer (unless out of stock), ``customer.rewarded``."""
    rewards = RewardRepository(tx.conn, tx.project_id)
    found = rewards.get(offer.reward_id, lock=True)
    if found is None or found.left == 0:
        return
    delivered = reward_redemptions.deliver(tx, found, referrer, None)
    rewards.add_redeemed(found.id, 1)
    ref = customer_ref(referrer)
    row = origin.redemption
    code = vouchers.render(tx, vouchers.require(tx, voucher["id"]))
    data = {
        "customer": ref,
        "holder": ref,
        "voucher": simple_voucher(code),
        "campaign": simple_campaign(campaign),
        "redemption": reward_redemption_events.redemption_internal(row, campaign["name"])
        if row
        else None,
        "reward": reward_result(found, offer, ref, delivered),
        "referral_tier": {
            "id": offer.id,
            "campaign_id": campaign["id"],
            "banner": None,
            "parameters": {},
        },
        "balance": delivered.get("balance"),
        "custom_event": origin.event,
        "customer_event": None,
    }
    tx.emit(Event("customer.rewarded", data, entity_id=referrer["id"]))
