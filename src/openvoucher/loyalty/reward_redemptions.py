"""Buying rewards with points: ``POST /v1/loyalties/{id}/members/{memberId}/redemption``,
paying with points in ``POST /v1/redemptions``, and giving the points back on a rollback.

A reward redemption spends the assignment's points cost (``POINTS_REDEMPTION`` with the reward
and the redemption) and delivers the reward in the same transaction: a discount coupon of the
reward's campaign published to the member, credits on their gift card (published first if they
hold none), points on their card of another programme (enrolled first), or a product recorded.
It is a redemption row (``r_…``) of the card, emits ``redemption.succeeded`` and
``customer.rewarded`` (``customer.rewarded.loyalty_points`` for a points reward).

A rollback refunds the points (``POINTS_REFUND``) into the buckets they came from, keeping
their expiry, and returns the unit to the reward's stock. What was delivered stays delivered.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import products, vouchers
from openvoucher.catalog.metadata_schemas import enforce
from openvoucher.catalog.model import CampaignPick, Publish
from openvoucher.catalog.presenters.vouchers import simple_voucher
from openvoucher.catalog.presenters.vouchers import voucher as render_voucher
from openvoucher.checkout import evaluation, orders
from openvoucher.checkout import redemption_effects as effects
from openvoucher.checkout.presenters.orders import order as render_order
from openvoucher.checkout.presenters.redemptions import event_redemption, redemption
from openvoucher.checkout.repositories.redemptions import RedemptionRepository, VoucherCounters
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.gift_cards import credits as gift_cards
from openvoucher.gift_cards.presenters.transactions import points_event_balance
from openvoucher.kernel import ledger
from openvoucher.kernel.clock import iso
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import (
    loyalty_cards,
    loyalty_events,
    reward_redemption_events,
    rewards,
    tier_prices,
)
from openvoucher.loyalty import programmes as loyalty
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain import rewards as rules
from openvoucher.loyalty.model import Reward, RewardAssignment
from openvoucher.loyalty.presenters.rewards import (
    reward,
    reward_result,
    simple_product,
    simple_redemption,
    simple_sku,
)
from openvoucher.loyalty.repositories.rewards import RewardRepository


def _exceeded(points: int, card: dict[str, Any]) -> VoucherifyError:
    return VoucherifyError(
        "Loyalty card points exceeded",
        f"The reward costs {points} points; card {card['code']} holds "
        f"{int(card['loyalty_balance'] or 0)}",
        key="loyalty_card_points_exceeded",
    )


def spend(
    tx: Tx,
    card: dict[str, Any],
    points: int,
    assignment_id: str,
    *,
    order: dict[str, Any] | None,
    redemption: dict[str, Any],
) -> dict[str, Any]:
    """Spend ``points`` of ``card`` on the assignment's reward (``POINTS_REDEMPTION``); the
    attrs its redemption row keeps: points, the buckets they came from, reward, transaction."""
    offer = rewards.require_assignment(tx, assignment_id)
    row = rewards.require_reward(tx, offer.reward_id, lock=True)
    if points > int(card["loyalty_balance"] or 0):
        raise _exceeded(points, card)
    stored = loyalty_cards.apply_points(
        tx,
        card,
        points_math.POINTS_REDEMPTION,
        points,
        order=order,
        redemption=redemption,
        reward=reward(row),
    )
    RewardRepository(tx.conn, tx.project_id).add_redeemed(row.id, 1)
    holder = loyalty.holder_of(tx, card)
    return {
        "loyalty_card": {"points": points, "buckets": stored["buckets_taken"]},
        "reward": reward_result(row, offer, customer_ref(holder), {}),
        "transaction_id": stored["id"],
    }


def refund(
    tx: Tx, child: dict[str, Any], rollback_id: str, order: dict[str, Any] | None
) -> dict[str, Any]:
    """Give back what ``child`` (a redemption that spent points) took (``POINTS_REFUND``); the
    attrs its rollback row keeps."""
    spent = child["attrs"]["loyalty_card"]
    points = int(spent["points"])
    repo = RewardRepository(tx.conn, tx.project_id)
    reward_id = (child["attrs"].get("reward") or {}).get("id")
    row = repo.get(reward_id, lock=True) if reward_id else None
    if row is not None:
        repo.add_redeemed(row.id, -1)
    customer = {"id": child["customer_id"]} if child["customer_id"] else None
    rolled = effects.simple_redemption(
        tx, rollback_id, rollback=True, customer=customer, tracking_id=child["tracking_id"]
    )
    stored = loyalty_cards.apply_points(
        tx,
        effects.voucher_row(tx, child["voucher_id"]),
        points_math.POINTS_REFUND,
        points,
        order=order,
        redemption={**simple_redemption(event_redemption(child)), "status": "ROLLED BACK"},
        rollback=rolled,
        reward=reward(row) if row is not None else None,
        related_transaction_id=child["attrs"].get("transaction_id"),
        refill=[(str(b), int(p)) for b, p in spent.get("buckets") or []],
    )
    return {"loyalty_card": {"points": -points}, "transaction_id": stored["id"]}


def _offer(tx: Tx, card: dict[str, Any], given: Any) -> tuple[RewardAssignment, Reward]:
    """The assignment and reward ``reward.id`` (a reward or an assignment id) names in the
    card's programme: 404 when unknown, 400 when the programme does not offer it."""
    if not isinstance(given, dict) or not given.get("id"):
        raise VoucherifyError("Missing reward", "reward.id is required", key="missing_reward")
    ident = str(given["id"])
    if ident.startswith("rewa_"):
        offer = rewards.require_assignment(tx, ident)
        if offer.campaign_id != card["campaign_id"]:
            raise rules.invalid(f"Reward assignment {ident} belongs to another loyalty program")
        return offer, rewards.require_reward(tx, offer.reward_id, lock=True)
    found = rewards.require_reward(tx, ident, lock=True)
    from openvoucher.loyalty.repositories.rewards import AssignmentRepository

    offer_row = AssignmentRepository(tx.conn, tx.project_id).of_reward_in(
        found.id, card["campaign_id"] or ""
    )
    if offer_row is None:
        raise rules.invalid(f"Reward {ident} is not a reward of this card's loyalty program")
    return offer_row, found


def _coin_order(
    tx: Tx, card: dict[str, Any], coin: dict[str, Any], given: Any, fields: dict[str, Any]
) -> tuple[int, dict[str, Any] | None]:
    """A COIN reward at ``coin`` ratios (the tier's): the points to spend and the order they
    pay part of (stored, with the discount and the redemption linked — done after the
    spending, see ``redeem``)."""
    points = (given or {}).get("points")
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise rules.invalid("reward.points: give the points to pay with (> 0)")
    if not fields.get("order"):
        raise VoucherifyError(
            "Missing order", "Paying with points needs an order", key="missing_order"
        )
    holder = loyalty.holder_of(tx, card)
    _, context = evaluation.order_preview(tx, fields["order"], holder)
    remaining = max(context.amount - context.prior_discount, 0)
    spent, paid = rules.payment(points, remaining, coin)
    if paid <= 0:
        raise rules.invalid("The order has nothing left to pay")
    return spent, {"paid": paid, "prior": context.prior_discount}


def _store_order(
    tx: Tx, card: dict[str, Any], fields: dict[str, Any], coin: dict[str, Any], rid: str
) -> dict[str, Any]:
    spec = {k: v for k, v in fields["order"].items() if k != "customer"}
    spec.update(
        customer_id=card["holder_id"],
        status=spec.get("status") or "PAID",
        discount_amount=coin["prior"] + coin["paid"],
        redemptions={
            rid: {
                "date": iso(tx.now),
                "related_object_type": "voucher",
                "related_object_id": card["id"],
                "related_object_parent_id": card["campaign_id"],
            }
        },
    )
    return render_order(orders.upsert(tx, spec))


def _applied(order: dict[str, Any] | None, coin: dict[str, Any] | None) -> dict[str, Any] | None:
    """The order as the redemption shows it: what paying with points applied to it."""
    if order is None or coin is None:
        return order
    items = int(order.get("items_applied_discount_amount") or 0)
    return {
        **order,
        "applied_discount_amount": coin["paid"],
        "total_applied_discount_amount": coin["paid"] + items,
    }


def redeem(
    uow: UnitOfWork, project_id: str, member_id: str, ident: str | None, fields: dict[str, Any]
) -> dict[str, Any]:
    """Buy a reward with the member's points; the redemption (with ``reward`` filled)."""
    with uow.write(project_id) as tx:
        enforce(tx, "redemption", fields.get("metadata"))
        card = loyalty.member(tx, member_id, ident)
        loyalty_cards.require_holder(card)
        card = loyalty_cards.lock_card(tx, card["id"])
        offer, found = _offer(tx, card, fields.get("reward"))
        mapping = tier_prices.mapping_of(tx, card, offer)
        coin = None
        if found.type == rules.COIN:
            ratios = rules.tier_coin(found.parameters["coin"], mapping)
            points, coin = _coin_order(tx, card, ratios, fields.get("reward"), fields)
        else:
            points = rules.tier_cost(offer.points or 0, mapping)
            _check_stock(found)
        if points > int(card["loyalty_balance"] or 0):
            raise _exceeded(points, card)
        return _redeem(tx, card, offer, found, points, coin, fields)


def redeem_automatically(
    tx: Tx, card: dict[str, Any], offer: RewardAssignment, found: Reward, points: int
) -> dict[str, Any]:
    """One auto-redeem redemption of ``offer`` (``loyalty.auto_redeem``), channel
    ``AUTO_REDEEM`` with the assignment id."""
    channel = {"channel_id": offer.id, "channel_type": "AUTO_REDEEM"}
    return _redeem(tx, card, offer, found, points, None, {"channel": channel})


def _check_stock(found: Reward) -> None:
    if found.left == 0:
        raise VoucherifyError(
            "Reward out of stock",
            f"Reward {found.id} has no units left ({found.stock} in stock)",
            key="quantity_exceeded",
        )


def _redeem(
    tx: Tx,
    card: dict[str, Any],
    offer: RewardAssignment,
    found: Reward,
    points: int,
    coin: dict[str, Any] | None,
    fields: dict[str, Any],
) -> dict[str, Any]:
    holder = loyalty.holder_of(tx, card)
    rid = new_id("redemption")
    tracking = evaluation.tracking_id({}, holder)
    simple = effects.simple_redemption(
        tx, rid, customer=holder, tracking_id=tracking, metadata=fields.get("metadata")
    )
    VoucherCounters(tx.conn, tx.project_id).add_redeemed(card["id"], 1, tx.now)
    order_body = _store_order(tx, card, fields, coin, rid) if coin is not None else None
    attrs = spend(tx, card, points, offer.id, order=order_body, redemption=simple)
    delivered = deliver(tx, found, holder, simple)
    attrs["reward"] = reward_result(found, offer, customer_ref(holder), delivered)
    after = effects.voucher_row(tx, card["id"])
    row = effects.base_row(
        tx, row_id=rid, voucher=after, customer=holder, order=order_body, tracking_id=tracking
    )
    row.update(result="SUCCESS", status="SUCCEEDED", amount=points)
    row["attrs"] = {
        "order": _applied(order_body, coin),
        "customer": customer_ref(holder),
        "voucher": render_voucher(after, tx.base_url),
        "metadata": fields.get("metadata") or {},
        **(fields.get("channel") or {}),
        "discount": coin["paid"] if coin else 0,
        "credits": 0,
        **attrs,
    }
    RedemptionRepository(tx.conn, tx.project_id).insert([row])
    effects.count(tx, holder, total_redeemed=1, total_succeeded=1)
    data = effects.event_data(tx, after, holder, order_body, redemption=row)
    effects.emit(tx, "redemption.succeeded", data, holder)
    rewarded = reward_redemption_events.emit_rewarded(tx, after, holder, row, delivered)
    if rewarded is not None:
        reward_redemption_events.emit(tx, rewarded, row, after, offer, found)
    return redemption(row)


def deliver(
    tx: Tx, found: Reward, holder: dict[str, Any] | None, simple: dict[str, Any] | None
) -> dict[str, Any]:
    """Hand the reward over; what was delivered (``voucher``, ``product``, ``sku``,
    ``balance`` for the event)."""
    assert holder is not None
    parameters = found.parameters
    if found.type == rules.MATERIAL:
        product = products.find_product(tx, parameters["product"]["id"])
        sku_id = parameters["product"].get("sku_id")
        sku = products.find_sku(tx, sku_id) if sku_id else None
        return {"product": simple_product(product), "sku": simple_sku(sku)}
    if found.type != rules.CAMPAIGN:
        return {}
    source = rewards.campaign_row(tx, parameters["campaign"]["id"])
    kind = source["campaign_type"]
    if kind == "DISCOUNT_COUPONS":
        voucher = _publish(tx, source, holder)
        return {"voucher": simple_voucher(vouchers.render(tx, voucher))}
    balance = int(parameters["campaign"].get("balance") or 0)
    held = loyalty.card_of(tx, source["id"], holder["id"])
    if kind == "GIFT_VOUCHERS":
        card = held or _publish(tx, source, holder)
        if balance > 0:
            gift_cards.apply_credits(
                tx, card, ledger.CREDITS_ADDITION, balance, source="Automation"
            )
        rendered = vouchers.render(tx, vouchers.require(tx, card["id"]))
        return {"voucher": simple_voucher(rendered), "balance": {"amount": balance}}
    return _add_points(tx, found, held or loyalty.enrol(tx, source, holder), balance, simple)


def _publish(tx: Tx, campaign: dict[str, Any], holder: dict[str, Any]) -> dict[str, Any]:
    from openvoucher.catalog import publications

    spec = Publish(customer={"id": holder["id"]}, campaign=CampaignPick(campaign["id"]))
    published = publications.publish_in(tx, spec, False)
    return vouchers.require(tx, published["voucher"]["id"])


def _add_points(
    tx: Tx, found: Reward, card: dict[str, Any], points: int, simple: dict[str, Any] | None
) -> dict[str, Any]:
    """Points on the member's card of another programme (``customer.rewarded.loyalty_points``)."""
    stored = loyalty_cards.apply_points(
        tx,
        card,
        points_math.POINTS_ADDITION,
        points,
        reward=reward(found),
        redemption=simple,
        source="Automation",
    )
    after = vouchers.require(tx, card["id"])
    shared = loyalty_events.context(tx, after)
    holder = customer_ref(shared["holder"])
    data = {
        "customer": holder,
        "holder": holder,
        "voucher": simple_voucher(shared["voucher"]),
        "campaign": shared["campaign"],
        "loyalty_tier": loyalty_events.holder_tier(tx, after),
        "earning_rule": None,
        "balance": points_event_balance(stored["details"]),
        "order": None,
        "event": None,
    }
    if holder is not None:
        tx.emit(Event("customer.rewarded.loyalty_points", data, entity_id=holder["id"]))
    return {"voucher": simple_voucher(shared["voucher"]), "balance": {"points": points}}
