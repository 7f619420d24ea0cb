"""The holders of referral codes: the referrer the code was published to, and referees added
through ``/v1/referrals/…/members/{memberId}/holders`` (customers upserted on the way).
Each change emits ``customer.holder.assignment.created`` / ``.deleted``.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import vouchers
from openvoucher.catalog.metadata_schemas import enforce
from openvoucher.catalog.presenters.campaigns import simple_campaign
from openvoucher.catalog.presenters.vouchers import simple_voucher
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.customers import customers
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.referrals.domain import referrals as rules
from openvoucher.referrals.model import Holder, HolderQuery
from openvoucher.referrals.presenters.referrals import holder, holders_list, simple_holder
from openvoucher.referrals.repositories.referrals import HolderRepository

MAX_HOLDERS = 100


def _code(tx: Tx, member_id: str, campaign_ident: str | None) -> tuple[dict[str, Any], Any]:
    """The referral code (by code or id) and its campaign; 404 when it is none, or not of
    the named campaign."""
    voucher = vouchers.require(tx, member_id)
    repo = CampaignRepository(tx.conn, tx.project_id)
    campaign = repo.get(voucher["campaign_id"]) if voucher["campaign_id"] else None
    if campaign is None or campaign["campaign_type"] != "REFERRAL_PROGRAM":
        raise NotFound("voucher", member_id)
    if campaign_ident is not None and campaign_ident not in {campaign["id"], campaign["name"]}:
        raise NotFound("voucher", member_id)
    return voucher, campaign


def _emit(
    tx: Tx, kind: str, row: Holder, voucher: dict[str, Any], campaign: dict[str, Any]
) -> None:
    customer = customers.require(tx, row.customer_id)
    data = {
        "holder": simple_holder(row, voucher["type"]),
        "voucher": simple_voucher(vouchers.render(tx, vouchers.require(tx, voucher["id"]))),
        "campaign": simple_campaign(campaign),
        "customer": customer_ref(customer),
    }
    tx.emit(Event(f"customer.holder.assignment.{kind}", data, entity_id=row.id))


def _insert(
    tx: Tx,
    voucher: dict[str, Any],
    campaign: dict[str, Any],
    customer: dict[str, Any],
    role: str,
    publication_id: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> Holder:
    repo = HolderRepository(tx.conn, tx.project_id)
    existing = repo.of_customer(voucher["id"], customer["id"])
    if existing is not None:
        return existing
    row = Holder(
        id=new_id("redeemable_holder"),
        voucher_id=voucher["id"],
        campaign_id=campaign["id"],
        customer_id=customer["id"],
        holder_role=role,
        publication_id=publication_id,
        metadata=metadata or {},
        created_at=tx.now,
    )
    repo.insert(row)
    _emit(tx, "created", row, voucher, campaign)
    return row


def on_published(
    tx: Tx,
    published: list[dict[str, Any]],
    customer: dict[str, Any],
    campaign: dict[str, Any] | None,
    publication_id: str,
) -> None:
    """A referral code published to a customer makes them its referrer."""
    if campaign is None or campaign["campaign_type"] != "REFERRAL_PROGRAM":
        return
    for voucher in published:
        _insert(tx, voucher, campaign, customer, rules.REFERRER, publication_id)


def add(
    uow: UnitOfWork,
    project_id: str,
    member_id: str,
    campaign_ident: str | None,
    holders: list[dict[str, Any]],
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Add the customers (upserted) as referees of the code, each holder with ``metadata``;
    all or none."""
    if not 1 <= len(holders) <= MAX_HOLDERS:
        raise InvalidPayload("Invalid payload", f"holders: give 1 to {MAX_HOLDERS} customers")
    with uow.write(project_id) as tx:
        enforce(tx, "publication", metadata)
        voucher, campaign = _code(tx, member_id, campaign_ident)
        rows = []
        for index, spec in enumerate(holders):
            if not spec.get("id") and not spec.get("source_id"):
                raise InvalidPayload("Invalid payload", f"holders[{index}]: id or source_id")
            customer = customers.resolve(tx, spec)
            assert customer is not None
            if customer["id"] == voucher["holder_id"]:
                raise InvalidPayload(
                    "Invalid payload", f"holders[{index}]: the referrer cannot be a referee"
                )
            rows.append(_insert(tx, voucher, campaign, customer, rules.REFEREE, metadata=metadata))
        return {"holders": [holder(row, voucher["type"]) for row in rows]}


def page(
    uow: UnitOfWork,
    project_id: str,
    member_id: str,
    campaign_ident: str | None,
    query: HolderQuery,
) -> dict[str, Any]:
    """A page of the code's holders: ``limit``, ``order`` (id | -id), ``starting_after_id``,
    ``filters``."""
    with uow.read(project_id) as tx:
        voucher, _ = _code(tx, member_id, campaign_ident)
        repo = HolderRepository(tx.conn, tx.project_id)
        after = None
        if query.starting_after_id:
            cursor = repo.get(query.starting_after_id)
            if cursor is None:
                raise NotFound("redeemable_holder", query.starting_after_id)
            after = (cursor.created_at, cursor.id)
        rows, total = repo.page(
            voucher["id"],
            query.filters,
            tx.now,
            descending=query.order == "-id",
            after=after,
            limit=query.limit + 1,
        )
        more = len(rows) > query.limit
        return holders_list(rows[: query.limit], voucher["type"], total, more)


def remove(
    uow: UnitOfWork, project_id: str, member_id: str, campaign_ident: str | None, holder_id: str
) -> None:
    """Remove a referee from the code (the referrer stays)."""
    with uow.write(project_id) as tx:
        voucher, campaign = _code(tx, member_id, campaign_ident)
        repo = HolderRepository(tx.conn, tx.project_id)
        row = repo.get(holder_id)
        if row is None or row.voucher_id != voucher["id"]:
            raise NotFound("redeemable_holder", holder_id)
        if row.holder_role != rules.REFEREE:
            raise InvalidPayload("Invalid payload", "Only a referee can be removed from a code")
        _emit(tx, "deleted", row, voucher, campaign)
        repo.delete(holder_id)
