"""Loyalty programmes (``LOYALTY_PROGRAM`` campaigns) and their members.

A member is a customer holding a ``LOYALTY_CARD`` of the programme; adding one publishes a
card to them (``join_once``: a customer holds at most one card of a programme). Points
changes live in ``loyalty_cards``; rules in ``earning_rules``; tiers in ``tiers``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openvoucher.catalog import campaigns, vouchers
from openvoucher.catalog.model import CampaignPick, Publish
from openvoucher.catalog.presenters.campaigns import campaign as render_campaign
from openvoucher.catalog.repositories.campaigns import CampaignFilter, CampaignRepository
from openvoucher.catalog.repositories.vouchers import VoucherFilter, VoucherRepository
from openvoucher.customers.repositories.customers import CustomerRepository
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import tiers
from openvoucher.loyalty.domain import loyalty as points_math

PROGRAMME = "LOYALTY_PROGRAM"


def require_programme(tx: Tx, ident: str) -> dict[str, Any]:
    """The loyalty programme with id or name ``ident``, or 404."""
    row = CampaignRepository(tx.conn, tx.project_id).get_by_id_or_name(ident)
    if row is None or row["campaign_type"] != PROGRAMME:
        raise NotFound("campaign", ident)
    return row


def _template(fields: dict[str, Any]) -> dict[str, Any]:
    voucher = dict(fields.get("voucher") or {})
    card = dict(voucher.get("loyalty_card") or {})
    card.setdefault("points", 0)
    rules = points_math.check_expiration_rules(card.get("expiration_rules"))
    card["expiration_rules"] = rules
    if rules is None:
        card.pop("expiration_rules")
    voucher["loyalty_card"] = card
    voucher["type"] = voucher.get("type") or "LOYALTY_CARD"
    return voucher


def create_programme(
    uow: UnitOfWork, project_id: str, fields: dict[str, Any], request_id: str | None
) -> dict[str, Any]:
    """``POST /v1/loyalties``: a ``LOYALTY_PROGRAM`` campaign issuing loyalty cards."""
    if not fields.get("name"):
        raise InvalidPayload("Invalid payload", "name is required")
    spec = {**fields, "campaign_type": PROGRAMME, "voucher": _template(fields)}
    return campaigns.create(uow, project_id, spec, request_id)


def get_programme(uow: UnitOfWork, project_id: str, ident: str) -> dict[str, Any]:
    """One programme."""
    with uow.read(project_id) as tx:
        return render_campaign(require_programme(tx, ident))


def update_programme(
    uow: UnitOfWork,
    project_id: str,
    ident: str,
    fields: dict[str, Any],
    *,
    refresh_tiers: bool = False,
) -> dict[str, Any]:
    """``PUT /v1/loyalties/{id}``: the campaign update, for programmes only. ``refresh_tiers``
    (build/loyalty-tiers.mdx, "Refresh tiers"): every member is re-evaluated under the saved
    settings in the same transaction: upgrades, expiries moved, no downgrades of a tier that
    has not expired; without it members keep their tiers until their next points change."""
    with uow.write(project_id) as tx:
        found = require_programme(tx, ident)
        updated = campaigns.update_in(tx, found["id"], fields)
        if refresh_tiers:
            tiers.refresh_all(tx, found["id"], settings=True)
        return updated


def delete_programme(
    uow: UnitOfWork, project_id: str, ident: str, request_id: str | None, *, binned: bool = False
) -> str:
    """``DELETE /v1/loyalties/{id}``: queue the deletion (``binned``: the programme goes to the
    bin when it is done); the async action's id."""
    with uow.write(project_id) as tx:
        row = require_programme(tx, ident)
        return campaigns.queue_deletion(tx, row, request_id, binned=binned)


def list_programmes(
    uow: UnitOfWork, project_id: str, *, order: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of programmes and their number."""
    filters = CampaignFilter(campaign_type=PROGRAMME)
    return campaigns.list_campaigns(
        uow, project_id, filters, order=order, limit=limit, offset=offset
    )


def card_of(
    tx: Tx, campaign_id: str, customer_id: str, *, lock: bool = False
) -> dict[str, Any] | None:
    """The customer's card in the programme (the oldest), or None; ``lock``: locked for
    the transaction and read in the same statement."""
    return VoucherRepository(tx.conn, tx.project_id).card_of(campaign_id, customer_id, lock=lock)


def holder_of(tx: Tx, card: dict[str, Any]) -> dict[str, Any] | None:
    """The card's holder row."""
    if card["holder_id"] is None:
        return None
    return CustomerRepository(tx.conn, tx.project_id).get(card["holder_id"])


def _publish(tx: Tx, spec: Publish) -> dict[str, Any]:
    from openvoucher.catalog import publications

    published = publications.publish_in(tx, spec, True)
    card = vouchers.require(tx, published["voucher"]["id"])
    tiers.refresh(tx, card)
    return vouchers.require(tx, card["id"])


def enrol(tx: Tx, campaign: dict[str, Any], customer: dict[str, Any]) -> dict[str, Any]:
    """Give the customer a card of the programme (auto_join); returns the card row."""
    return _publish(
        tx, Publish(customer={"id": customer["id"]}, campaign=CampaignPick(campaign["id"]))
    )


def _customer_spec(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str) and raw:
        return {"id": raw} if raw.startswith("cust_") else {"source_id": raw}
    if isinstance(raw, dict) and raw:
        return raw
    raise InvalidPayload("Missing customer", "customer is required", key="missing_customer")


def add_member(
    uow: UnitOfWork, project_id: str, ident: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``POST /v1/loyalties/{id}/members``: publish a card (the given ``voucher`` code, or one
    of the programme) to the customer; a customer already holding one gets theirs back."""
    spec = Publish(
        customer=_customer_spec(fields.get("customer")),
        source_id=fields.get("source_id"),
        metadata=fields.get("metadata") or {},
        channel=fields.get("channel") or "API",
    )
    with uow.write(project_id) as tx:
        campaign = require_programme(tx, ident)
        code = fields.get("voucher")
        if code:
            card = vouchers.require(tx, code)
            if card["campaign_id"] != campaign["id"]:
                raise InvalidPayload(
                    "Invalid voucher", f"Card {code} is not a card of programme {campaign['name']}"
                )
            spec = replace(spec, voucher=card["code"])
        else:
            spec = replace(spec, campaign=CampaignPick(campaign["id"]))
        return vouchers.render(tx, _publish(tx, spec))


def member(tx: Tx, member_id: str, ident: str | None = None) -> dict[str, Any]:
    """The card with code (or id) ``member_id`` — of the programme ``ident`` when given."""
    card = vouchers.find(tx, member_id)
    if card is None or card["type"] != "LOYALTY_CARD":
        raise NotFound("voucher", member_id)
    if ident is not None and card["campaign_id"] != require_programme(tx, ident)["id"]:
        raise NotFound("voucher", member_id)
    return card


def get_member(
    uow: UnitOfWork, project_id: str, member_id: str, ident: str | None
) -> dict[str, Any]:
    """One member's card."""
    with uow.read(project_id) as tx:
        return vouchers.render(tx, member(tx, member_id, ident))


def list_members(
    uow: UnitOfWork,
    project_id: str,
    ident: str,
    filters: VoucherFilter,
    customer: str | None,
    *,
    order: str,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """A page of the programme's cards and their number (``customer``: id or source_id)."""
    with uow.read(project_id) as tx:
        campaign = require_programme(tx, ident)
        holder_id = filters.holder_id
        if customer:
            found = CustomerRepository(tx.conn, tx.project_id).get_by_id_or_source_id(customer)
            holder_id = found["id"] if found else "-"
        scoped = VoucherFilter(
            **{**filters.__dict__, "campaign_id": campaign["id"], "holder_id": holder_id}
        )
        rows, total = VoucherRepository(tx.conn, tx.project_id).page(
            scoped, order=order, limit=limit, offset=offset
        )
        return [vouchers.render(tx, row) for row in rows], total


def member_tiers(uow: UnitOfWork, project_id: str, member_id: str) -> list[dict[str, Any]]:
    """``GET /v1/loyalties/members/{id}/tiers``: the holder's current tier (if any)."""
    from openvoucher.loyalty.presenters.loyalty import tier as render_tier

    with uow.read(project_id) as tx:
        card = member(tx, member_id)
        level = tiers.current_tier(tx, card)
        if level is None or card["holder_id"] is None:
            return []
        membership = card["attrs"]["loyalty_tier"]
        return [render_tier(level, {**membership, "customer_id": card["holder_id"]})]
