"""Vouchers: create (given or generated code), read, update, delete, enable/disable, list.

``find``, ``require``, ``render``, ``create_in_campaign`` and ``set_holder`` work inside an
open :class:`Tx`, so other use cases (publications) can use them in their own transaction.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import categories, validation_rules
from openvoucher.catalog.domain.codes import (
    parse_code_config,
)
from openvoucher.catalog.domain.vouchers import (
    check_discount,
    check_quantity,
    check_value,
    inferred_type,
)
from openvoucher.catalog.metadata_schemas import enforce
from openvoucher.catalog.presenters.campaigns import simple_campaign
from openvoucher.catalog.presenters.vouchers import voucher
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.catalog.repositories.vouchers import (
    VoucherFilter,
    VoucherRepository,
)
from openvoucher.catalog.voucher_codes import insert_generated, insert_with_code
from openvoucher.customers import customers
from openvoucher.kernel.clock import parse_datetime
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import trash_bin

VALIDITY = ("validity_timeframe", "validity_day_of_week", "validity_hours")
TARGETS = ("applicable_to", "inapplicable_to")
"""Item-level targets (an openvoucher extension of the create/update bodies)."""


def find(tx: Tx, code: str) -> dict[str, Any] | None:
    """The voucher with this code (or id), or None."""
    return VoucherRepository(tx.conn, tx.project_id).get_by_code_or_id(code)


def require(tx: Tx, code: str) -> dict[str, Any]:
    """The voucher with this code (or id), or 404 ``not_found``."""
    row = find(tx, code)
    if row is None:
        raise NotFound("voucher", code)
    return row


def render(tx: Tx, row: dict[str, Any]) -> dict[str, Any]:
    """The voucher object, with asset links on this server."""
    return voucher(row, tx.base_url)


def shown(tx: Tx, row: dict[str, Any]) -> dict[str, Any]:
    """The voucher object of the voucher endpoints: with its validation rule assignments."""
    body = render(tx, row)
    validation_rules.with_assignments(tx, "voucher", [body])
    return body


def _rules_given(tx: Tx, voucher_id: str, fields: dict[str, Any]) -> None:
    """``validation_rules`` of a create/update body become the voucher's assignments."""
    if fields.get("validation_rules") is not None:
        validation_rules.assign(tx, "voucher", voucher_id, fields["validation_rules"])


def event_data(tx: Tx, row: dict[str, Any]) -> dict[str, Any]:
    """``{voucher, campaign}``: the data of every ``voucher.*`` event."""
    campaign = None
    if row["campaign_id"] is not None:
        campaign = CampaignRepository(tx.conn, tx.project_id).get(row["campaign_id"])
    return {
        "voucher": render(tx, row),
        "campaign": simple_campaign(campaign) if campaign else None,
    }


def _reload(tx: Tx, voucher_id: str) -> dict[str, Any]:
    row = VoucherRepository(tx.conn, tx.project_id).get(voucher_id)
    assert row is not None
    return row


def parse_date(fields: dict[str, Any], name: str) -> Any:
    """A date-time field of the request (None when absent or null)."""
    raw = fields.get(name)
    if raw is None:
        return None
    try:
        return parse_datetime(raw)
    except ValueError:
        raise InvalidPayload("Invalid payload", f"{name} must be an ISO-8601 date-time") from None


def category_id_for(tx: Tx, fields: dict[str, Any]) -> str | None:
    """The category a request names by ``category_id`` or ``category`` (id or name), or 404."""
    ident = fields.get("category_id") or fields.get("category")
    return categories.resolve(tx, ident).id if ident else None


def _attrs(fields: dict[str, Any]) -> dict[str, Any]:
    named = ("additional_info", *VALIDITY, *TARGETS)
    attrs = {k: fields[k] for k in named if fields.get(k) is not None}
    attrs["metadata"] = fields.get("metadata") or {}
    return attrs


def base_row(
    tx: Tx, voucher_type: str, value: dict[str, Any], fields: dict[str, Any]
) -> dict[str, Any]:
    """A new voucher's columns (without ``code``) from its type, value and request fields."""
    gift = value.get("gift") or {}
    card = value.get("loyalty_card") or {}
    attrs = _attrs(fields)
    if "discount" in value:
        attrs["discount"] = value["discount"]
    if gift:
        attrs["gift_effect"] = gift["effect"]
    return {
        "id": new_id("voucher"),
        "campaign_id": None,
        "category_id": category_id_for(tx, fields),
        "type": voucher_type,
        "active": fields.get("active") is not False,
        "holder_id": None,
        "start_date": parse_date(fields, "start_date"),
        "expiration_date": parse_date(fields, "expiration_date"),
        "redemption_quantity": check_quantity(fields.get("redemption")),
        "redeemed_quantity": 0,
        "publish_count": 0,
        "gift_amount": gift.get("amount"),
        "gift_balance": gift.get("amount"),
        "loyalty_points": card.get("points"),
        "loyalty_balance": card.get("points"),
        "attrs": attrs,
        "created_at": tx.now,
        "updated_at": None,
    }


def voucher_template(campaign: dict[str, Any]) -> dict[str, Any]:
    """The voucher a campaign issues; a PROMOTION campaign issues none (a 400)."""
    template: dict[str, Any] | None = campaign["attrs"].get("voucher")
    if template is None:
        raise InvalidPayload(
            "Invalid payload", f"Campaign {campaign['name']} has promotion tiers, not vouchers"
        )
    return template


def campaign_row(tx: Tx, campaign: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """A new voucher of ``campaign``: its value from the campaign template, its own extras."""
    attrs = campaign["attrs"]
    template = voucher_template(campaign)
    value = {k: template[k] for k in ("gift", "loyalty_card") if template.get(k)}
    merged = {
        "start_date": attrs.get("start_date"),
        "expiration_date": attrs.get("expiration_date"),
        "redemption": template["redemption"],
        **{k: v for k, v in fields.items() if v is not None},
    }
    row = base_row(tx, template["type"], value, merged)
    row["attrs"] = {k: v for k, v in row["attrs"].items() if k != "gift_effect"}
    row["campaign_id"] = campaign["id"]
    return row


def create_in_campaign(
    tx: Tx, campaign: dict[str, Any], fields: dict[str, Any], code: str | None = None
) -> dict[str, Any]:
    """Add one voucher to ``campaign`` (given ``code`` or one from its code config)."""
    CampaignRepository(tx.conn, tx.project_id).lock(campaign["id"])
    row = campaign_row(tx, campaign, fields)
    if code is not None:
        created = insert_with_code(tx, row, code)
    else:
        config = parse_code_config(fields.get("code_config") or campaign_config(campaign))
        created = insert_generated(tx, row, config)
    CampaignRepository(tx.conn, tx.project_id).add_to_count(campaign["id"], 1)
    tx.emit(Event("voucher.created", event_data(tx, created), entity_id=created["id"]))
    return created


def campaign_config(campaign: dict[str, Any]) -> dict[str, Any]:
    """The campaign's stored code config."""
    config: dict[str, Any] = voucher_template(campaign)["code_config"]
    return config


def set_holder(tx: Tx, row: dict[str, Any], customer_id: str | None) -> dict[str, Any]:
    """Make ``customer_id`` the voucher's holder (publishing); returns the updated row."""
    VoucherRepository(tx.conn, tx.project_id).update(
        row["id"], {"holder_id": customer_id, "updated_at": tx.now}
    )
    return _reload(tx, row["id"])


def _campaign_for(tx: Tx, fields: dict[str, Any]) -> dict[str, Any] | None:
    ident = fields.get("campaign_id") or fields.get("campaign")
    if not ident:
        return None
    found = CampaignRepository(tx.conn, tx.project_id).get_by_id_or_name(ident)
    if found is None:
        raise NotFound("campaign", ident)
    return found


def create(
    uow: UnitOfWork, project_id: str, fields: dict[str, Any], code: str | None = None
) -> dict[str, Any]:
    """``POST /v1/vouchers[/{code}]``: one voucher, standalone or in the named campaign."""
    with uow.write(project_id) as tx:
        enforce(tx, "voucher", fields.get("metadata"))
        campaign = _campaign_for(tx, fields)
        if campaign is not None:
            return _create_in_named_campaign(tx, campaign, fields, code)
        voucher_type = inferred_type(fields)
        row = base_row(tx, voucher_type, check_value(voucher_type, fields), fields)
        if code is not None:
            created = insert_with_code(tx, row, code)
        else:
            created = insert_generated(tx, row, parse_code_config(fields.get("code_config")))
        tx.emit(Event("voucher.created", event_data(tx, created), entity_id=created["id"]))
        _rules_given(tx, created["id"], fields)
        return shown(tx, created)


def _create_in_named_campaign(
    tx: Tx, campaign: dict[str, Any], fields: dict[str, Any], code: str | None
) -> dict[str, Any]:
    template_type = voucher_template(campaign)["type"]
    if fields.get("type") not in {None, template_type}:
        raise InvalidPayload(
            "Invalid payload", f"Campaign {campaign['name']} issues {template_type} vouchers"
        )
    created = create_in_campaign(tx, campaign, fields, code)
    if fields.get("discount") and template_type == "DISCOUNT_VOUCHER":
        attrs = {**created["attrs"], "discount": check_discount(fields["discount"])}
        VoucherRepository(tx.conn, tx.project_id).update(created["id"], {"attrs": attrs})
        created = _reload(tx, created["id"])
    _rules_given(tx, created["id"], fields)
    return shown(tx, created)


def get(uow: UnitOfWork, project_id: str, code: str) -> dict[str, Any]:
    """``GET /v1/vouchers/{code}``."""
    with uow.read(project_id) as tx:
        return shown(tx, require(tx, code))


def update(uow: UnitOfWork, project_id: str, code: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``PUT /v1/vouchers/{code}``: change the given fields; emits ``voucher.updated``.

    ``type`` only picks the body's variant (the SDK always sends one) and never changes.
    """
    with uow.write(project_id) as tx:
        row = require(tx, code)
        updated = apply_update(tx, row, fields)
        _rules_given(tx, row["id"], fields)
        return shown(tx, updated)


def apply_update(tx: Tx, row: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Change the given fields of voucher ``row`` in ``tx``; emits ``voucher.updated``."""
    values, attrs = _changes(tx, row, fields)
    VoucherRepository(tx.conn, tx.project_id).update(
        row["id"], {**values, "attrs": attrs, "updated_at": tx.now}
    )
    updated = _reload(tx, row["id"])
    tx.emit(Event("voucher.updated", event_data(tx, updated), entity_id=row["id"]))
    return updated


def _changes(
    tx: Tx, row: dict[str, Any], fields: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    values: dict[str, Any] = {}
    attrs = dict(row["attrs"])
    for name in ("start_date", "expiration_date"):
        if name in fields:
            values[name] = parse_date(fields, name)
    if "category_id" in fields or "category" in fields:
        values["category_id"] = category_id_for(tx, fields)
    if fields.get("active") is not None:
        values["active"] = fields["active"]
    if "redemption" in fields:
        values["redemption_quantity"] = check_quantity(fields["redemption"])
    for name in ("additional_info", *VALIDITY, *TARGETS):
        if name in fields:
            attrs[name] = fields[name]
    if "metadata" in fields:
        attrs["metadata"] = fields["metadata"] or {}
        enforce(tx, "voucher", attrs["metadata"])
    if fields.get("discount") is not None:
        if row["type"] != "DISCOUNT_VOUCHER":
            raise InvalidPayload("Invalid payload", "Only a DISCOUNT_VOUCHER has a discount")
        attrs["discount"] = check_discount(fields["discount"])
    return values, attrs


def delete(uow: UnitOfWork, project_id: str, code: str, *, binned: bool = False) -> None:
    """``DELETE /v1/vouchers/{code}``: removes it; emits ``voucher.deleted``. ``binned`` also
    stores a bin entry (the code stays taken until the entry is deleted)."""
    with uow.write(project_id) as tx:
        row = require(tx, code)
        data = event_data(tx, row)
        VoucherRepository(tx.conn, tx.project_id).delete(row["id"])
        if binned:
            code, parent = row["code"], row["campaign_id"]
            trash_bin.put(tx, "voucher", data["voucher"], code, parent, held=[("voucher", code)])
        validation_rules.forget(tx, "voucher", row["id"])
        if row["campaign_id"] is not None:
            CampaignRepository(tx.conn, tx.project_id).add_to_count(row["campaign_id"], -1)
        tx.emit(Event("voucher.deleted", data, entity_id=row["id"]))


def set_active(uow: UnitOfWork, project_id: str, code: str, active: bool) -> dict[str, Any]:
    """Enable or disable; emits ``voucher.enabled`` / ``voucher.disabled``."""
    with uow.write(project_id) as tx:
        row = require(tx, code)
        repo = VoucherRepository(tx.conn, tx.project_id)
        repo.update(row["id"], {"active": active, "updated_at": tx.now})
        updated = _reload(tx, row["id"])
        kind = "voucher.enabled" if active else "voucher.disabled"
        tx.emit(Event(kind, event_data(tx, updated), entity_id=row["id"]))
        return render(tx, updated)


def list_vouchers(
    uow: UnitOfWork,
    project_id: str,
    refs: dict[str, str | None],
    filters: VoucherFilter,
    *,
    order: str,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """A page of rendered vouchers and the total; ``refs`` names campaign/customer/category."""
    with uow.read(project_id) as tx:
        resolved: dict[str, Any] = {}
        campaign, customer, category = (
            refs.get("campaign"),
            refs.get("customer"),
            refs.get("category"),
        )
        if campaign:
            found = CampaignRepository(tx.conn, tx.project_id).get_by_id_or_name(campaign)
            resolved["campaign_id"] = found["id"] if found else "-"
        if customer:
            holder = customers.find(tx, customer)
            resolved["holder_id"] = holder["id"] if holder else "-"
        if category:
            named = categories.find(tx, category)
            resolved["category_id"] = named.id if named else "-"
        resolved["now"] = tx.now
        effective = VoucherFilter(**{**filters.__dict__, **resolved})
        repo = VoucherRepository(tx.conn, tx.project_id)
        rows, total = repo.page(effective, order=order, limit=limit, offset=offset)
        bodies = [render(tx, row) for row in rows]
        validation_rules.with_assignments(tx, "voucher", bodies)
        return bodies, total


def mark_published(tx: Tx, row: dict[str, Any], customer_id: str) -> dict[str, Any]:
    """Publishing ``row`` (read after locking it): ``customer_id`` becomes its holder and its
    publish count goes up by one; returns the updated row."""
    VoucherRepository(tx.conn, tx.project_id).update(
        row["id"],
        {"holder_id": customer_id, "publish_count": row["publish_count"] + 1, "updated_at": tx.now},
    )
    return _reload(tx, row["id"])
