"""What a tier's members pay for rewards: the tier's ``rewards`` mapping (keyed by assignment
or reward id) applied to an offer's points cost or a COIN reward's ratios."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty import tiers
from openvoucher.loyalty.domain import rewards as rules
from openvoucher.loyalty.model import RewardAssignment


def mappings_of(tx: Tx, card: dict[str, Any]) -> dict[str, Any] | None:
    """The rewards mappings of the card holder's tier (None: no tier, the base costs)."""
    level = tiers.current_tier(tx, card)
    return level["attrs"].get("rewards") if level else None


def mapping_of(tx: Tx, card: dict[str, Any], offer: RewardAssignment) -> dict[str, Any] | None:
    """The mapping of the card holder's tier for the offer (None: the base cost)."""
    return rules.tier_mapping(mappings_of(tx, card), offer.id, offer.reward_id)


def cost_for(tx: Tx, card: dict[str, Any], offer: RewardAssignment) -> int:
    """What the offer (not COIN) costs the card's holder."""
    return rules.tier_cost(offer.points or 0, mapping_of(tx, card, offer))


def offer_cost(offer: RewardAssignment, mappings: dict[str, Any] | None) -> int:
    """What the offer costs a tier's member (a COIN reward: 1 point at least)."""
    if offer.points is None:
        return 1
    mapping = rules.tier_mapping(mappings, offer.id, offer.reward_id)
    return rules.tier_cost(offer.points, mapping)


def affordable(
    tx: Tx, card: dict[str, Any], offers: list[RewardAssignment]
) -> list[RewardAssignment]:
    """The offers the card's balance pays for at its holder's tier prices."""
    mappings = mappings_of(tx, card)
    balance = int(card["loyalty_balance"] or 0)
    return [offer for offer in offers if offer_cost(offer, mappings) <= balance]


def coin_offers(
    tx: Tx, card: dict[str, Any], offers: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """The COIN offers with the ratios of the card holder's tier."""
    mappings = mappings_of(tx, card) if offers else None
    if not mappings:
        return offers
    mapped = {}
    for key, entry in offers.items():
        mapping = rules.tier_mapping(mappings, entry["assignment_id"], entry["reward_id"])
        mapped[key] = {**entry, "coin": rules.tier_coin(entry["coin"], mapping)}
    return mapped
