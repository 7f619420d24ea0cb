"""The operands a request gives dynamic formulas, and the discounts they compute.

"Today" is the project's calendar day at the transaction's instant (its time zone).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from openvoucher.catalog import publications
from openvoucher.checkout.domain import units
from openvoucher.checkout.domain.redeemables import OrderContext, VoucherFacts
from openvoucher.kernel import project_time
from openvoucher.kernel.formula_env import (
    formula_fields,
    has_formula,
    item_formulas,
    order_operands,
    resolved_discount,
)
from openvoucher.kernel.formulas import Env
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.platform import project_zone


def _birthdate(customer: Mapping[str, Any] | None) -> Any:
    attrs = (customer or {}).get("attrs") or {}
    return attrs.get("birthdate") or attrs.get("birthday")


def base_env(
    tx: Tx,
    *,
    amount: int | None,
    items: list[Mapping[str, Any]],
    order_metadata: Mapping[str, Any] | None,
    customer: Mapping[str, Any] | None,
    redemption_metadata: Mapping[str, Any] | None = None,
) -> Env:
    """An order's and a customer's operands at the transaction's instant."""
    operands, metadata = order_operands(amount, items)
    operands["CUSTOMER_BIRTHDATE"] = _birthdate(customer)
    metadata["ORDER_METADATA"] = order_metadata or {}
    metadata["CUSTOMER_METADATA"] = ((customer or {}).get("attrs") or {}).get("metadata") or {}
    metadata["REDEMPTION_METADATA"] = redemption_metadata or {}
    return Env(
        now=tx.now,
        today=project_time.local_date(tx.now, project_zone.zone_name(tx)),
        operands=operands,
        metadata=metadata,
    )


def order_env(tx: Tx, customer: Mapping[str, Any] | None, order: Mapping[str, Any] | None) -> Env:
    """The operands points formulas read: a rendered order (when the event has one) and the
    customer."""
    order = order or {}
    return base_env(
        tx,
        amount=order.get("amount"),
        items=list(order.get("items") or []),
        order_metadata=order.get("metadata"),
        customer=customer,
    )


def _uses(discount: Mapping[str, Any] | None, name: str) -> bool:
    """Whether one of the discount's formulas names ``name``."""
    given = discount or {}
    texts = [str(given[key]) for key in formula_fields(given)]
    texts += [str(u.get("unit_off_formula") or "") for u in given.get("units") or []]
    return any(name in text for text in texts)


def _redeemable(
    tx: Tx, env: Env, row: Mapping[str, Any] | None, one: VoucherFacts, customer: Any
) -> Env:
    """``env`` with the operands of one voucher or promotion tier."""
    tier = one.object == "promotion_tier"
    if row is None:
        return env
    attrs = row.get("attrs") or {}
    operands = dict(env.operands)
    metadata = {**env.metadata, "REDEEMABLE_METADATA": attrs.get("metadata") or {}}
    if not tier and _uses(one.discount, "PUBLICATION_METADATA"):
        metadata["PUBLICATION_METADATA"] = publications.publication_metadata(
            tx, str(row["id"]), (customer or {}).get("id")
        )
    if tier:
        operands["PROMOTION_TIER_START_DATE"] = row.get("start_date")
        operands["PROMOTION_TIER_EXPIRATION_DATE"] = row.get("expiration_date")
    else:
        operands.update(
            VOUCHER_REDEMPTION_QUANTITY=row.get("redemption_quantity"),
            VOUCHER_REDEEMED_QUANTITY=row.get("redeemed_quantity"),
            VOUCHER_PUBLISH_COUNT=row.get("publish_count"),
            VOUCHER_START_DATE=row.get("start_date"),
            VOUCHER_EXPIRATION_DATE=row.get("expiration_date"),
        )
    return replace(env, operands=operands, metadata=metadata)


def resolve(
    tx: Tx,
    facts: dict[str, VoucherFacts],
    rows: Mapping[str, Mapping[str, Any]],
    context: OrderContext,
    order: Mapping[str, Any],
    customer: Mapping[str, Any] | None,
    body: Mapping[str, Any],
) -> dict[str, VoucherFacts]:
    """The facts with each discount formula computed for this request (``rows``: voucher and
    tier rows by id)."""
    if not any(has_formula(one.discount) for one in facts.values()):
        return facts
    env = base_env(
        tx,
        amount=context.amount,
        items=[dict(item) for item in context.items],
        order_metadata=order.get("metadata"),
        customer=customer,
        redemption_metadata=body.get("metadata"),
    )
    done = dict(facts)

    def line(unit_type: str) -> Mapping[str, Any] | None:
        index = units.line_of(unit_type, context.items, context.catalog)
        return None if index is None else context.items[index]

    for key, one in facts.items():
        if has_formula(one.discount):
            assert one.discount is not None
            own = _redeemable(tx, env, rows.get(one.id), one, customer)
            done[key] = replace(
                one,
                discount=resolved_discount(one.discount, own, line),
                item_formulas=item_formulas(one.discount, own),
            )
    return done
