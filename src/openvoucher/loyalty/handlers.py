"""Loyalty's reactions to other contexts' domain events (routed by ``bootstrap.reaction_table``),
run inside the transaction that dispatched them: an order paid and a segment entered fire the
earning rules that name them.
"""

from __future__ import annotations

from openvoucher.checkout.events import OrderPaid
from openvoucher.checkout.presenters.orders import order as render_order
from openvoucher.customers.events import SegmentEntered
from openvoucher.customers.presenters.segments import simple_segment
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty.earning_rules import ORDER_PAID, SEGMENT_ENTERED, customer_event, fire
from openvoucher.loyalty.repositories.loyalty_rules import EarningRuleRepository
from openvoucher.loyalty.v2 import event_earning


def on_order_paid(tx: Tx, paid: OrderPaid) -> None:
    """``OrderPaid``: the ``order.paid`` rules of every programme, for the customer."""
    order, customer = paid.order, paid.customer
    if customer is None:
        return
    rules = EarningRuleRepository(tx.conn, tx.project_id).active_for(ORDER_PAID)
    if not rules:
        return
    rendered = render_order(order)
    event = customer_event(tx, "customer.order.paid", customer["id"])
    fire(tx, rules, customer, {"order": rendered}, {"order": rendered, "event": event})


def on_segment_entered(tx: Tx, entered: SegmentEntered) -> None:
    """``SegmentEntered``: the rules naming the segment the customer entered, in every
    programme."""
    customer, segment = entered.customer, entered.segment
    rules = [
        rule
        for rule in EarningRuleRepository(tx.conn, tx.project_id).active_for(SEGMENT_ENTERED)
        if rule.segment_id == segment.id
    ]
    if not rules:
        return
    event = customer_event(tx, SEGMENT_ENTERED, customer["id"])
    fire(tx, rules, customer, {}, {"event": event, "segment": simple_segment(segment)})


def on_segment_entered_v2(tx: Tx, entered: SegmentEntered) -> None:
    """``SegmentEntered``: the Loyalty v2 rules naming the segment, in the customer's
    programmes."""
    segment = simple_segment(entered.segment)
    event_earning.on_segment_entered(tx, entered.customer["id"], segment)
