"""Publications: give a customer a voucher (a given code, or one picked or generated from a
campaign), idempotent by ``source_id``, once per customer with ``join_once``; list them.

Publishing makes the customer the voucher's holder and counts the publication on the voucher;
``voucher.published``, ``publication.succeeded`` and the ``customer.publication.succeeded``
distribution trigger are written in the same transaction.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import campaigns, vouchers
from openvoucher.catalog.metadata_schemas import enforce
from openvoucher.catalog.model import Publish
from openvoucher.catalog.presenters import publications as present
from openvoucher.catalog.presenters.campaigns import simple_campaign
from openvoucher.catalog.presenters.vouchers import simple_voucher
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.catalog.repositories.publications import (
    PublicationFilter,
    PublicationRepository,
)
from openvoucher.catalog.repositories.vouchers import VoucherFilter, VoucherRepository
from openvoucher.customers import customers
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.kernel.clock import iso, parse_datetime
from openvoucher.kernel.errors import DuplicateFound, InvalidPayload, NotFound, VoucherifyError
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform.domain.durations import activity_duration
from openvoucher.referrals import referral_holders

NOT_SUITABLE = "no_voucher_suitable_for_publication"
DISTRIBUTION_SOURCE = {"source_type": None, "source_id": None, "distribution_id": None}


def _unsuitable(details: str) -> VoucherifyError:
    return VoucherifyError("No voucher suitable for publication", details, key=NOT_SUITABLE)


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid publish params", details, key="invalid_publish_params")


def create(uow: UnitOfWork, project_id: str, spec: Publish, join_once: bool) -> dict[str, Any]:
    """``POST /v1/publications``: publish and return the publication.

    Two requests racing with one new ``source_id``: the loser's insert breaks the unique
    index, and it answers with the winner's publication.
    """
    try:
        with uow.write(project_id) as tx:
            return publish_in(tx, spec, join_once)
    except DuplicateFound:
        if not spec.source_id:
            raise
        with uow.read(project_id) as tx:
            found = PublicationRepository(tx.conn, tx.project_id).get_by_source_id(spec.source_id)
            if found is None:
                raise
            return _render_created(tx, found)


def publish_in(tx: Tx, spec: Publish, join_once: bool) -> dict[str, Any]:
    """Publish inside an open transaction (loyalty enrolment and rewards use it too)."""
    if not spec.customer:
        raise InvalidPayload("Missing customer", "customer is required", key="missing_customer")
    if spec.source_id:
        existing = PublicationRepository(tx.conn, tx.project_id).get_by_source_id(spec.source_id)
        if existing is not None:
            return _replay(tx, existing, spec.customer)
    customer = customers.resolve(tx, spec.customer)
    assert customer is not None
    if spec.voucher:
        row = _publishable(tx, vouchers.require(tx, spec.voucher), customer)
        campaign = _campaign_of(tx, row)
        return _publish(tx, spec, customer, campaign, [row])
    if spec.campaign:
        return _from_campaign(tx, spec, spec.campaign.name, customer, join_once)
    raise _invalid("Give a voucher code or a campaign to publish from")


def refusal(tx: Tx, campaign_id: str, lock: bool = True) -> tuple[str, str] | None:
    """Why one code of the campaign cannot be published now (``reason``, ``details``), or
    None: automatic grants (loyalty v2 benefits) ask first, so a refused grant writes nothing
    and leaves the transaction it runs in whole. The free code found is locked for this
    transaction (unless not ``lock``), so a concurrent grant cannot take it in between."""
    campaign = CampaignRepository(tx.conn, tx.project_id).get(campaign_id)
    if campaign is None:
        return "campaign_not_found", f"Campaign {campaign_id} does not exist"
    if not campaign["active"]:
        return "campaign_inactive", f"Campaign {campaign['name']} is disabled"
    repo = PublicationRepository(tx.conn, tx.project_id)
    if repo.free_voucher_ids(campaign_id, tx.now, 1, lock):
        return None
    if campaign["type"] != "AUTO_UPDATE":
        return "no_codes_left", f"Campaign {campaign['name']} has no code left to publish"
    ends = campaign["attrs"].get("expiration_date")
    if ends and parse_datetime(ends) <= tx.now:
        return "campaign_expired", f"Campaign {campaign['name']} has expired"
    return None


def _replay(tx: Tx, existing: dict[str, Any], named: dict[str, Any]) -> dict[str, Any]:
    """The stored publication of a repeated ``source_id`` (the customer is looked up, not
    upserted, so a replay changes nothing)."""
    try:
        customer = customers.resolve(tx, named, create=False)
    except NotFound:
        customer = None
    if customer is None or existing["customer_id"] != customer["id"]:
        # Not a DuplicateFound: ``create`` answers those with the stored publication.
        raise VoucherifyError(
            "Duplicated resource",
            f"Publication with source_id {existing['source_id']} belongs to another customer",
            key="duplicate_found",
            status=409,
        )
    return _render_created(tx, existing)


def _campaign_of(tx: Tx, row: dict[str, Any]) -> dict[str, Any] | None:
    if row["campaign_id"] is None:
        return None
    return CampaignRepository(tx.conn, tx.project_id).get(row["campaign_id"])


def _publishable(tx: Tx, row: dict[str, Any], customer: dict[str, Any]) -> dict[str, Any]:
    """``row`` locked and read again, or 400 when it cannot go to ``customer``."""
    PublicationRepository(tx.conn, tx.project_id).lock_voucher(row["id"])
    row = vouchers.require(tx, row["id"])
    if not row["active"]:
        raise VoucherifyError(
            "Voucher is disabled", f"Voucher {row['code']} is disabled", key="voucher_disabled"
        )
    if row["expiration_date"] is not None and row["expiration_date"] <= tx.now:
        raise VoucherifyError(
            "Voucher expired", f"Voucher {row['code']} has expired", key="voucher_expired"
        )
    if row["holder_id"] not in {None, customer["id"]}:
        raise _unsuitable(f"Voucher {row['code']} is already published to another customer")
    return row


def _count(spec: Publish) -> int:
    count = spec.campaign.count if spec.campaign else None
    if count is not None and count > 1 and spec.source_id:
        raise _invalid("With a source_id only one voucher can be published per request")
    return 1 if count is None else count


def _from_campaign(
    tx: Tx, spec: Publish, name: str | None, customer: dict[str, Any], join_once: bool
) -> dict[str, Any]:
    if not name:
        raise _invalid("campaign.name is required")
    count = _count(spec)
    campaign = campaigns.require(tx, name)
    CampaignRepository(tx.conn, tx.project_id).lock(campaign["id"])
    if not campaign["active"]:
        raise _unsuitable(f"Campaign {campaign['name']} is disabled")
    if join_once or campaign["attrs"].get("join_once"):
        if count > 1:
            raise _invalid(f"Campaign {campaign['name']} publishes one voucher per customer")
        held = _held(tx, spec, customer, campaign)
        if held is not None:
            return held
    rows = _pick(tx, campaign, count)
    return _publish(tx, spec, customer, campaign, rows)


def _held(
    tx: Tx, spec: Publish, customer: dict[str, Any], campaign: dict[str, Any]
) -> dict[str, Any] | None:
    """With join_once: the publication of the voucher the customer already holds (published
    now if it never was), or None when they hold none of the campaign."""
    repo = PublicationRepository(tx.conn, tx.project_id)
    voucher_id = repo.held_voucher_id(campaign["id"], customer["id"])
    if voucher_id is None:
        return None
    earlier = repo.latest_of_voucher_for(voucher_id, customer["id"])
    if earlier is not None:
        return _render_created(tx, earlier)
    row = _publishable(tx, vouchers.require(tx, voucher_id), customer)
    return _publish(tx, spec, customer, campaign, [row])


def _start_activity_window(tx: Tx, row: dict[str, Any]) -> None:
    """The first publication of a code of a campaign with ``activity_duration_after_publishing``
    starts its window: the code expires that long after now, whatever the campaign's
    expiration date (optimize/time-limits.mdx: "This rule overrides campaign expiration
    dates")."""
    if row["publish_count"]:
        return
    campaign = _campaign_of(tx, row)
    text = (campaign or {}).get("attrs", {}).get("activity_duration_after_publishing")
    if not text:
        return
    ends = activity_duration(text).after(tx.now)
    VoucherRepository(tx.conn, tx.project_id).update(row["id"], {"expiration_date": ends})


def _pick(tx: Tx, campaign: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """``count`` vouchers of the campaign to publish: free ones first, then (AUTO_UPDATE)
    newly generated ones."""
    repo = PublicationRepository(tx.conn, tx.project_id)
    rows = [
        vouchers.require(tx, vid) for vid in repo.free_voucher_ids(campaign["id"], tx.now, count)
    ]
    missing = count - len(rows)
    if missing and campaign["type"] != "AUTO_UPDATE":
        raise _unsuitable(
            f"Campaign {campaign['name']} has {len(rows)} voucher(s) left to publish, {count} asked"
        )
    for _ in range(missing):
        rows.append(vouchers.create_in_campaign(tx, campaign, {}))
    for row in rows:
        if row["expiration_date"] is not None and row["expiration_date"] <= tx.now:
            raise _unsuitable(f"Campaign {campaign['name']} has expired")
    return rows


def _publish(
    tx: Tx,
    spec: Publish,
    customer: dict[str, Any],
    campaign: dict[str, Any] | None,
    rows: list[dict[str, Any]],
) -> dict[str, Any]:
    enforce(tx, "publication", spec.metadata)
    for row in rows:
        _start_activity_window(tx, row)
    published = [vouchers.mark_published(tx, row, customer["id"]) for row in rows]
    row = {
        "id": new_id("publication"),
        "voucher_id": published[0]["id"],
        "customer_id": customer["id"],
        "campaign_id": campaign["id"] if campaign else None,
        "source_id": spec.source_id or None,
        "channel": spec.channel or "API",
        "result": "SUCCESS",
        "attrs": {"metadata": spec.metadata or {}},
        "created_at": tx.now,
    }
    repo = PublicationRepository(tx.conn, tx.project_id)
    repo.insert(row, [(v["id"], v["code"]) for v in published])
    referral_holders.on_published(tx, published, customer, campaign, row["id"])
    stored = repo.get(row["id"])
    assert stored is not None
    rendered = [vouchers.render(tx, v) for v in published]
    _emit(tx, stored, customer, campaign, rendered)
    return present.created(stored, customers.with_holdings(tx, [customer])[0], rendered)


def _emit(
    tx: Tx,
    row: dict[str, Any],
    customer: dict[str, Any],
    campaign: dict[str, Any] | None,
    rendered: list[dict[str, Any]],
) -> None:
    base = present.publication_base(row, customer, [v["id"] for v in rendered])
    shared = {
        "customer": customer_ref(customer),
        "campaign": simple_campaign(campaign) if campaign else None,
    }
    simple = [simple_voucher(v) for v in rendered]
    for one in simple:
        data = {**shared, "publication": base, "voucher": one, "created_at": iso(tx.now)}
        tx.emit(Event("voucher.published", data, entity_id=one["id"], group_id=row["id"]))
    succeeded: dict[str, Any] = {**shared, "publication": base, "voucher": simple[0], "user": None}
    if len(simple) > 1:
        succeeded["vouchers"] = simple
    tx.emit(Event("publication.succeeded", succeeded, entity_id=row["id"], group_id=row["id"]))
    # The trigger's publication is a distribution item: its metadata names the distribution
    # source, which an API publication has none of.
    metadata = {**DISTRIBUTION_SOURCE, **base["metadata"]}
    publication = {**base, "metadata": metadata, "voucher": rendered[0]}
    trigger = {**shared, "publication": publication, "voucher": simple[0]}
    tx.emit(
        Event("customer.publication.succeeded", trigger, entity_id=row["id"], group_id=row["id"])
    )


def _rendered_vouchers(tx: Tx, voucher_ids: list[str]) -> dict[str, dict[str, Any]]:
    if not voucher_ids:
        return {}
    rows, _ = VoucherRepository(tx.conn, tx.project_id).page(
        VoucherFilter(ids=tuple(voucher_ids)), order="created_at", limit=len(voucher_ids), offset=0
    )
    return {row["id"]: vouchers.render(tx, row) for row in rows}


def _render_created(tx: Tx, row: dict[str, Any]) -> dict[str, Any]:
    refs = PublicationRepository(tx.conn, tx.project_id).voucher_refs([row["id"]])[row["id"]]
    found = _rendered_vouchers(tx, [vid for vid, _ in refs])
    customer = customers.by_id(tx, row["customer_id"] or "")
    if customer is not None:
        customer = customers.with_holdings(tx, [customer])[0]
    return present.created(row, customer, [found[vid] for vid, _ in refs if vid in found])


def _customers_of(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The distinct customers the publication rows name."""
    return list({r["customer"]["id"]: r["customer"] for r in rows if r["customer"]}.values())


def list_publications(
    uow: UnitOfWork,
    project_id: str,
    refs: dict[str, str | None],
    filters: PublicationFilter,
    *,
    order: str,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """``GET /v1/publications``: ``refs`` name the campaign (id or name) and customer (id or
    source_id); an unknown one matches nothing."""
    with uow.read(project_id) as tx:
        resolved: dict[str, Any] = {}
        if refs.get("campaign"):
            found = CampaignRepository(tx.conn, tx.project_id).get_by_id_or_name(
                str(refs["campaign"])
            )
            resolved["campaign_id"] = found["id"] if found else "-"
        if refs.get("customer"):
            holder = customers.find(tx, str(refs["customer"]))
            resolved["customer_id"] = holder["id"] if holder else "-"
        effective = PublicationFilter(**{**filters.__dict__, **resolved})
        repo = PublicationRepository(tx.conn, tx.project_id)
        rows, total = repo.page(effective, order=order, limit=limit, offset=offset)
        links = repo.voucher_refs([row["id"] for row in rows])
        found_vouchers = _rendered_vouchers(tx, [vid for r in links.values() for vid, _ in r])
        held = {c["id"]: c for c in customers.with_holdings(tx, _customers_of(rows))}
        items = [
            present.list_item(
                row,
                held.get((row["customer"] or {}).get("id", "")),
                [found_vouchers[vid] for vid, _ in links[row["id"]] if vid in found_vouchers],
            )
            for row in rows
        ]
        return present.publications_list(items, total)


def publication_metadata(tx: Tx, voucher_id: str, customer_id: str | None) -> dict[str, Any]:
    """The metadata of the voucher's newest publication to ``customer_id``, else to anyone
    (empty when it was never published): a formula's ``PUBLICATION_METADATA``."""
    repo = PublicationRepository(tx.conn, tx.project_id)
    found = repo.latest_of_voucher_for(voucher_id, customer_id) if customer_id else None
    found = found or repo.latest_of_voucher_for(voucher_id, None)
    return dict(((found or {}).get("attrs") or {}).get("metadata") or {})
