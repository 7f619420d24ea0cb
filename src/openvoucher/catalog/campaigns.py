"""Campaigns: create (generating vouchers), read, update, delete, enable/disable, list, add
vouchers; bulk generation and deletion run as async actions (``catalog.campaign_jobs``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from openvoucher.catalog import validation_rules, voucher_codes, vouchers
from openvoucher.catalog.domain.campaigns import (
    REFERRAL,
    SYNC_GENERATION_LIMIT,
    check_vouchers_count,
    inferred_campaign_type,
    voucher_type_for,
)
from openvoucher.catalog.domain.codes import (
    CodeConfig,
    CodeSampler,
    InvalidCodeConfig,
    parse_code_config,
)
from openvoucher.catalog.domain.vouchers import check_quantity, check_value
from openvoucher.catalog.metadata_schemas import enforce
from openvoucher.catalog.presenters.campaign_summary import redemption_figures
from openvoucher.catalog.presenters.campaign_summary import summary as campaign_summary
from openvoucher.catalog.presenters.campaigns import campaign as render
from openvoucher.catalog.presenters.campaigns import simple_campaign
from openvoucher.catalog.repositories.campaign_summary import CampaignSummaryRepository
from openvoucher.catalog.repositories.campaigns import CampaignFilter, CampaignRepository
from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.checkout import promotions
from openvoucher.kernel.clock import iso
from openvoucher.kernel.errors import DuplicateFound, InvalidPayload, NotFound
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id, new_ids
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty.domain import tier_settings
from openvoucher.platform import async_actions, trash_bin
from openvoucher.platform.domain.durations import check_activity_duration
from openvoucher.referrals import referral_settings, referred

GENERATE = "CAMPAIGN.VOUCHERS_GENERATE"
DELETE = "CAMPAIGN.VOUCHERS_DELETE"
BATCH = 5000
_VALIDITY = ("validity_timeframe", "validity_day_of_week", "validity_hours")
_LISTS = ("applicable_to", "inapplicable_to")
ATTR_FIELDS = ("description", *_VALIDITY, "activity_duration_after_publishing", *_LISTS)


def require(tx: Tx, ident: str) -> dict[str, Any]:
    """The campaign with id or name ``ident``, or 404."""
    row = CampaignRepository(tx.conn, tx.project_id).get_by_id_or_name(ident)
    if row is None:
        raise NotFound("campaign", ident)
    return row


def shown(tx: Tx, row: dict[str, Any]) -> dict[str, Any]:
    """The campaign object of the campaign endpoints: with its validation rule assignments
    (and a PROMOTION campaign's tiers)."""
    body = _render(tx, row)
    validation_rules.with_assignments(tx, "campaign", [body])
    return body


def _reload(tx: Tx, campaign_id: str) -> dict[str, Any]:
    row = CampaignRepository(tx.conn, tx.project_id).get(campaign_id)
    assert row is not None
    return row


def _date(fields: dict[str, Any], name: str) -> str | None:
    return iso(vouchers.parse_date(fields, name))


def _template(campaign_type: str, raw: dict[str, Any]) -> tuple[dict[str, Any], CodeConfig]:
    voucher_type = voucher_type_for(campaign_type, raw.get("type"))
    config = parse_code_config(raw.get("code_config"))
    quantity = check_quantity(raw.get("redemption"))
    template = {
        "type": voucher_type,
        **check_value(voucher_type, raw),
        "redemption": {"quantity": quantity, "redeemed_quantity": 0},
        "code_config": config.render(),
        "is_referral_code": campaign_type == REFERRAL,
    }
    return template, config


def _issued(
    campaign_type: str, fields: dict[str, Any]
) -> tuple[dict[str, Any] | None, CodeConfig | None]:
    """The voucher template and code config; a PROMOTION campaign has tiers instead."""
    if campaign_type != "PROMOTION":
        return _template(campaign_type, fields.get("voucher") or {})
    if fields.get("voucher") or fields.get("vouchers_count"):
        raise InvalidPayload("Invalid payload", "A PROMOTION campaign has tiers, not vouchers")
    return None, None


def _render(tx: Tx, row: dict[str, Any]) -> dict[str, Any]:
    """The campaign object; a PROMOTION campaign's carries its tiers (``promotion``)."""
    body = render(row)
    if row["campaign_type"] == "PROMOTION":
        body["promotion"] = promotions.campaign_tiers(tx, row["id"])
    return body


def _attrs(
    fields: dict[str, Any], template: dict[str, Any] | None, loyalty: bool
) -> dict[str, Any]:
    return {
        **{k: fields[k] for k in ATTR_FIELDS if fields.get(k) is not None},
        "voucher": template,
        "auto_join": bool(fields.get("auto_join")),
        "join_once": True if loyalty else bool(fields.get("join_once")),
        "use_voucher_metadata_schema": bool(fields.get("use_voucher_metadata_schema")),
        "start_date": _date(fields, "start_date"),
        "expiration_date": _date(fields, "expiration_date"),
        "metadata": fields.get("metadata") or {},
        "creation_status": "DONE",
        "vouchers_generation_status": "DONE",
        "is_referral_code": False,
    }


def create(
    uow: UnitOfWork,
    project_id: str,
    fields: dict[str, Any],
    request_id: str | None = None,
    prepare: Callable[[Tx], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """``POST /v1/campaigns`` (codes made now or in the background); ``prepare`` runs first in
    the transaction and adds fields (templates make the campaign's validation rules so)."""
    with uow.write(project_id) as tx:
        if prepare is not None:
            fields = {**fields, **prepare(tx)}
        return create_in(tx, fields, request_id)


def create_in(tx: Tx, fields: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    """:func:`create` in an open transaction (Loyalty v2 wallets' backing campaigns)."""
    campaign_type = inferred_campaign_type(fields)
    check_activity_duration(fields)
    promotion = campaign_type == "PROMOTION"
    template, config = _issued(campaign_type, fields)
    count = check_vouchers_count(fields.get("vouchers_count"))
    repo = CampaignRepository(tx.conn, tx.project_id)
    if repo.get_by_name(fields["name"]) is not None:
        raise DuplicateFound("Duplicated resource", f"Campaign {fields['name']} already exists")
    trash_bin.ensure_campaign_name_free(tx, fields["name"])
    if config is not None:
        voucher_codes.check_room(tx, config, count)
    attrs = _attrs(fields, template, campaign_type == "LOYALTY_PROGRAM")
    attrs.update(referral_settings.created(tx, campaign_type, fields.get("referral_program")))
    attrs = tier_settings.applied(attrs, fields.get(tier_settings.FIELD), campaign_type)
    enforce(tx, "campaign", attrs["metadata"])
    if count > SYNC_GENERATION_LIMIT:
        attrs["vouchers_generation_status"] = "IN_PROGRESS"
    repo.insert(
        {
            "id": (campaign_id := new_id("campaign")),
            "name": fields["name"],
            "campaign_type": campaign_type,
            "type": fields.get("type") or "AUTO_UPDATE",
            "active": True,
            "category_id": vouchers.category_id_for(tx, fields),
            "vouchers_count": 0,
            "attrs": attrs,
            "created_at": tx.now,
            "updated_at": None,
        }
    )
    created = _reload(tx, campaign_id)
    data = {"campaign": render(created), "created_at": iso(tx.now)}
    tx.emit(Event("campaign.created", data, entity_id=campaign_id))
    if fields.get("validation_rules") is not None:
        validation_rules.assign(tx, "campaign", campaign_id, fields["validation_rules"])
    tiers = (fields.get("promotion") or {}).get("tiers") if promotion else None
    for tier in tiers or []:
        promotions.insert_tier(tx, created, tier)
    if config is None:
        return shown(tx, created)
    if count > SYNC_GENERATION_LIMIT:
        request = {"campaign_id": campaign_id, "count": count, "creation": True}
        async_actions.enqueue(tx, GENERATE, request, request_id)
    elif count:
        generate_batch(tx, created, CodeSampler(config), count, {})
        generation_completed(tx, campaign_id, count)
    return shown(tx, _reload(tx, campaign_id))


def generate_batch(
    tx: Tx, campaign: dict[str, Any], sampler: CodeSampler, count: int, fields: dict[str, Any]
) -> int:
    """Store ``count`` new vouchers of ``campaign`` (no per-voucher events); how many."""
    repo = VoucherRepository(tx.conn, tx.project_id)
    template = vouchers.campaign_row(tx, campaign, fields)
    done = 0
    idle_rounds = 0
    while done < count:
        drawn = sampler.draw(count - done)
        codes = trash_bin.without_binned_codes(tx, drawn)
        # Sorted codes touch the unique index page by page instead of at random.
        pairs = list(zip(new_ids("voucher", len(codes)), sorted(codes), strict=True))
        inserted = repo.insert_batch(template, pairs)
        idle_rounds = 0 if inserted else idle_rounds + 1
        if not drawn or idle_rounds > voucher_codes.SPARSE_RETRIES:
            raise InvalidCodeConfig("No unused code is left in the space of the code config")
        done += inserted
    CampaignRepository(tx.conn, tx.project_id).add_to_count(campaign["id"], done)
    return done


def set_generation_status(tx: Tx, campaign_id: str, status: str) -> None:
    """Record the campaign's ``vouchers_generation_status``."""
    row = _reload(tx, campaign_id)
    attrs = {**row["attrs"], "vouchers_generation_status": status}
    CampaignRepository(tx.conn, tx.project_id).update(campaign_id, {"attrs": attrs})


def generation_completed(tx: Tx, campaign_id: str, count: int) -> None:
    """Mark the generation DONE and emit ``campaign.vouchers.generation.completed``."""
    set_generation_status(tx, campaign_id, "DONE")
    row = _reload(tx, campaign_id)
    data = {"campaign": simple_campaign(row), "count": count, "completed_at": iso(tx.now)}
    tx.emit(Event("campaign.vouchers.generation.completed", data, entity_id=campaign_id))


def get(uow: UnitOfWork, project_id: str, ident: str) -> dict[str, Any]:
    """By id or name."""
    with uow.read(project_id) as tx:
        return shown(tx, require(tx, ident))


def update(uow: UnitOfWork, project_id: str, ident: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``PUT /v1/campaigns/{id}``: change the given fields; emits ``campaign.updated``."""
    with uow.write(project_id) as tx:
        return update_in(tx, ident, fields)


def update_in(tx: Tx, ident: str, fields: dict[str, Any]) -> dict[str, Any]:
    """:func:`update` in the caller's transaction."""
    row = require(tx, ident)
    values = {**_changes(tx, row, fields), "updated_at": tx.now}
    CampaignRepository(tx.conn, tx.project_id).update(row["id"], values)
    updated = _reload(tx, row["id"])
    tx.emit(Event("campaign.updated", {"campaign": render(updated)}, entity_id=row["id"]))
    if fields.get("validation_rules") is not None:
        validation_rules.assign(tx, "campaign", row["id"], fields["validation_rules"])
    return shown(tx, updated)


def _changes(tx: Tx, row: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    check_activity_duration(fields)
    attrs = {**row["attrs"], **{k: fields[k] for k in ATTR_FIELDS if k in fields}}
    for name in ("start_date", "expiration_date"):
        if name in fields:
            attrs[name] = _date(fields, name)
    for name in ("auto_join", "join_once"):
        if fields.get(name) is not None:
            attrs[name] = fields[name]
    metadata = {**attrs.get("metadata", {}), **(fields.get("metadata") or {})}
    for key in fields.get("unset_metadata_fields") or []:
        metadata.pop(key, None)
    attrs["metadata"] = metadata
    if "metadata" in fields or fields.get("unset_metadata_fields"):
        enforce(tx, "campaign", metadata)
    template = dict(attrs.get("voucher") or {"type": None})
    for name in ("discount", "gift"):
        if fields.get(name) is not None:
            template.update(check_value(template["type"], {name: fields[name]}))
    if "discount" in template and template["type"] != "DISCOUNT_VOUCHER":
        raise InvalidPayload("Invalid payload", "Only a DISCOUNT_COUPONS campaign has a discount")
    if "gift" in template and template["type"] != "GIFT_VOUCHER":
        raise InvalidPayload("Invalid payload", "Only a GIFT_VOUCHERS campaign has a gift")
    attrs["voucher"] = template if template["type"] is not None else None
    attrs.update(referral_settings.changed(tx, row, fields.get("referral_program")))
    attrs = tier_settings.applied(attrs, fields.get(tier_settings.FIELD), row["campaign_type"])
    values: dict[str, Any] = {"attrs": attrs}
    if fields.get("type") is not None:
        values["type"] = fields["type"]
    if "category_id" in fields or "category" in fields:
        values["category_id"] = vouchers.category_id_for(tx, fields)
    return values


def delete(
    uow: UnitOfWork,
    project_id: str,
    ident: str,
    request_id: str | None = None,
    *,
    binned: bool = False,
) -> str:
    """``DELETE /v1/campaigns/{id}``: queue the deletion (``binned``: the campaign goes to the
    bin when it is done); the async action's id."""
    with uow.write(project_id) as tx:
        row = require(tx, ident)
        return queue_deletion(tx, row, request_id, binned=binned)


def queue_deletion(
    tx: Tx, row: dict[str, Any], request_id: str | None, *, binned: bool = False
) -> str:
    """Enqueue the deletion job of the campaign ``row``; the async action's id."""
    request: dict[str, Any] = {"campaign_id": row["id"]}
    if binned:
        request["bin_entry_id"] = trash_bin.new_entry_id(tx)
    return async_actions.enqueue(tx, DELETE, request, request_id).id


def set_active(uow: UnitOfWork, project_id: str, ident: str, active: bool) -> None:
    """Enable or disable; emits ``campaign.enabled`` / ``campaign.disabled``."""
    with uow.write(project_id) as tx:
        row = require(tx, ident)
        repo = CampaignRepository(tx.conn, tx.project_id)
        repo.update(row["id"], {"active": active, "updated_at": tx.now})
        kind = "campaign.enabled" if active else "campaign.disabled"
        data = {"campaign": render(_reload(tx, row["id"]))}
        tx.emit(Event(kind, data, entity_id=row["id"]))


def list_campaigns(
    uow: UnitOfWork,
    project_id: str,
    filters: CampaignFilter,
    *,
    order: str,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """A page of rendered campaigns and the total."""
    with uow.read(project_id) as tx:
        repo = CampaignRepository(tx.conn, tx.project_id)
        rows, total = repo.page(filters, order=order, limit=limit, offset=offset)
        bodies = [_render(tx, row) for row in rows]
        validation_rules.with_assignments(tx, "campaign", bodies)
        return bodies, total


def add_vouchers(
    uow: UnitOfWork,
    project_id: str,
    ident: str,
    fields: dict[str, Any],
    count: int,
    request_id: str | None = None,
) -> tuple[dict[str, Any] | None, str | None]:
    """``POST /v1/campaigns/{id}/vouchers``: (the voucher, None) for one, else (None, action id)."""
    count = check_vouchers_count(count) or 1
    if count > 1 and fields.get("code"):
        raise InvalidPayload("Invalid payload", "A code can only be given for a single voucher")
    with uow.write(project_id) as tx:
        campaign = require(tx, ident)
        if "metadata" in fields:
            enforce(tx, "voucher", fields["metadata"])
        if count == 1:
            created = vouchers.create_in_campaign(tx, campaign, fields, fields.get("code"))
            return vouchers.render(tx, created), None
        config = parse_code_config(fields.get("code_config") or vouchers.campaign_config(campaign))
        voucher_codes.check_room(tx, config, count)
        request = {"campaign_id": campaign["id"], "count": count, "fields": fields}
        return None, async_actions.enqueue(tx, GENERATE, request, request_id).id


def add_voucher_with_code(
    uow: UnitOfWork, project_id: str, ident: str, code: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``POST /v1/campaigns/{id}/vouchers/{code}``."""
    with uow.write(project_id) as tx:
        campaign = require(tx, ident)
        if "metadata" in fields:
            enforce(tx, "voucher", fields["metadata"])
        return vouchers.render(tx, vouchers.create_in_campaign(tx, campaign, fields, code))


def summary(
    uow: UnitOfWork, project_id: str, ident: str, start: datetime | None, end: datetime | None
) -> dict[str, Any]:
    """A campaign's figures over ``[start, end)`` (open bounds: since ever, until now)."""
    with uow.read(project_id) as tx:
        row = require(tx, ident)
        repo = CampaignSummaryRepository(tx.conn, tx.project_id)
        figures = redemption_figures(repo.redemptions(row["id"], start, end))
        ledger = repo.ledger(row["id"], start, end)
        created = repo.vouchers(row["id"], start, end)
        published = repo.publications(row["id"], start, end)
        body = campaign_summary(render(row), figures, ledger, created, published)
        if "referred_customers" in body:
            body["referred_customers"] = referred.count_in(tx, row["id"], start, end)
        return body
