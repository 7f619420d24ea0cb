"""Campaign templates: a discount or gift campaign's (or a promotion tier's) setup, saved to
create campaigns or promotion tiers from later, in this project or (copied) in another.

A template keeps the campaign definition without its name, category and code count, plus
copies of its validation rules; each setup creates fresh rules from those copies (reported in
``created_resources``). A promotion tier is saved as a DISCOUNT_COUPONS definition.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openvoucher.catalog import campaigns, validation_rules
from openvoucher.catalog.model import CampaignTemplate, RuleCopy, TemplateFields
from openvoucher.catalog.repositories.campaign_templates import CampaignTemplateRepository
from openvoucher.checkout import promotions
from openvoucher.checkout.presenters.promotions import promotion_tier
from openvoucher.kernel.clock import iso
from openvoucher.kernel.errors import DuplicateFound, InvalidPayload, NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import projects

TYPES = ("DISCOUNT_COUPONS", "GIFT_VOUCHERS")
CAMPAIGN_FLAGS = ("auto_join", "join_once", "use_voucher_metadata_schema")
TIER_FIELDS = ("validity_timeframe", "validity_day_of_week", "validity_hours", "metadata")


def _repo(tx: Tx) -> CampaignTemplateRepository:
    return CampaignTemplateRepository(tx.conn, tx.project_id)


def _require(tx: Tx, template_id: str) -> CampaignTemplate:
    row = _repo(tx).template(template_id)
    if row is None:
        raise NotFound("campaign_template", template_id)
    return row


def _name(name: str | None) -> str:
    if name is None or not name.strip():
        raise InvalidPayload("Invalid payload", "name is required")
    return name


def _set(values: dict[str, Any] | None) -> dict[str, Any]:
    """The non-null values (the SDK sends null for every field it was not given)."""
    return {k: v for k, v in (values or {}).items() if v is not None}


def _voucher(stored: dict[str, Any]) -> dict[str, Any]:
    """The ``voucher`` of a campaign body that issues vouchers like ``stored``."""
    value = "discount" if stored["type"] == "DISCOUNT_VOUCHER" else "gift"
    quantity = (stored.get("redemption") or {}).get("quantity")
    return {
        "type": stored["type"],
        value: stored[value],
        "redemption": {"quantity": quantity},
        "code_config": stored.get("code_config"),
    }


def _from_campaign(tx: Tx, campaign_id: str) -> tuple[dict[str, Any], tuple[RuleCopy, ...]]:
    campaign = campaigns.require(tx, campaign_id)
    if campaign["campaign_type"] not in TYPES:
        raise InvalidPayload(
            "Invalid payload", "Only discount and gift campaigns can be saved as templates"
        )
    attrs = campaign["attrs"]
    kept = ("start_date", "expiration_date", "metadata", *CAMPAIGN_FLAGS, *campaigns.ATTR_FIELDS)
    definition = {
        **{k: attrs[k] for k in kept if attrs.get(k) is not None},
        "campaign_type": campaign["campaign_type"],
        "type": campaign["type"],
        "voucher": _voucher(attrs["voucher"]),
    }
    rule_ids = validation_rules.assigned_ids(tx, "campaign", campaign["id"])
    return definition, validation_rules.copies_of(tx, rule_ids)


def _from_tier(tx: Tx, tier_id: str) -> tuple[dict[str, Any], tuple[RuleCopy, ...]]:
    tier = promotions.require_tier(tx, tier_id)
    attrs = tier["attrs"]
    dates = {k: iso(tier[k]) for k in ("start_date", "expiration_date") if tier[k] is not None}
    definition = {
        **{k: attrs[k] for k in (*TIER_FIELDS, "banner") if attrs.get(k) is not None},
        **dates,
        "campaign_type": "DISCOUNT_COUPONS",
        "type": "AUTO_UPDATE",
        "voucher": {"type": "DISCOUNT_VOUCHER", "discount": attrs["discount"]},
    }
    return definition, validation_rules.copies_of(tx, attrs.get("validation_rules") or [])


def _insert(
    tx: Tx,
    name: str,
    description: str | None,
    definition: dict[str, Any],
    rules: tuple[RuleCopy, ...],
) -> CampaignTemplate:
    if _repo(tx).named(name) is not None:
        raise DuplicateFound("Duplicated resource", f"Campaign template {name} already exists")
    template = CampaignTemplate(
        id=new_id("campaign_template"),
        name=name,
        description=description,
        campaign_type=definition["campaign_type"],
        campaign=definition,
        validation_rules=rules,
        created_at=tx.now,
    )
    _repo(tx).add(template)
    return _require(tx, template.id)


def create(uow: UnitOfWork, project_id: str, fields: TemplateFields) -> CampaignTemplate:
    """Save a campaign (``campaign_id``) or a promotion tier (``promotion_tier_id``)."""
    name = _name(fields.name)
    campaign_id, tier_id = fields.campaign_id, fields.promotion_tier_id
    if bool(campaign_id) == bool(tier_id):
        raise InvalidPayload("Invalid payload", "Send either campaign_id or promotion_tier_id")
    with uow.write(project_id) as tx:
        if campaign_id:
            definition, rules = _from_campaign(tx, campaign_id)
        else:
            definition, rules = _from_tier(tx, str(tier_id))
        return _insert(tx, name, fields.description, definition, rules)


def get(uow: UnitOfWork, project_id: str, template_id: str) -> CampaignTemplate:
    """By id."""
    with uow.read(project_id) as tx:
        return _require(tx, template_id)


def list_templates(
    uow: UnitOfWork, project_id: str, limit: int, after: str | None, descending: bool
) -> tuple[list[CampaignTemplate], int]:
    """A page of templates (one more than ``limit`` when there are more) and the total."""
    with uow.read(project_id) as tx:
        projects.require_exists(tx, project_id)
        return _repo(tx).page(limit + 1, after, descending), _repo(tx).count()


def update(
    uow: UnitOfWork, project_id: str, template_id: str, fields: TemplateFields
) -> CampaignTemplate:
    """Rename or re-describe a template (null or absent fields keep theirs)."""
    with uow.write(project_id) as tx:
        row = _require(tx, template_id)
        name = fields.name
        taken = name is not None and name != row.name and _repo(tx).named(_name(name))
        if taken:
            raise DuplicateFound("Duplicated resource", f"Campaign template {name} already exists")
        changed = replace(
            row,
            name=row.name if name is None else name,
            description=row.description if fields.description is None else fields.description,
        )
        values = {"name": changed.name, "description": changed.description}
        _repo(tx).update(row.id, {**values, "updated_at": tx.now})
        return _require(tx, row.id)


def delete(uow: UnitOfWork, project_id: str, template_id: str) -> None:
    """Remove a template permanently."""
    with uow.write(project_id) as tx:
        _repo(tx).delete(_require(tx, template_id).id)


def copy(
    uow: UnitOfWork, project_id: str, template_id: str, fields: TemplateFields
) -> CampaignTemplate:
    """Copy a template into ``destination_project_id`` under a new name."""
    name = _name(fields.name)
    destination = fields.destination_project_id
    if not destination:
        raise InvalidPayload("Invalid payload", "destination_project_id is required")
    with uow.read(project_id) as tx:
        projects.require_exists(tx, project_id)
        source = _require(tx, template_id)
    with uow.write(destination) as tx:
        projects.require_exists(tx, destination)
        return _insert(tx, name, fields.description, source.campaign, source.validation_rules)


def _no_rules(fields: dict[str, Any]) -> None:
    if fields.get("validation_rules"):
        raise InvalidPayload(
            "Invalid payload",
            "A template's validation rules are created anew; assign others after the setup",
        )


def _created(rule_ids: list[str]) -> list[dict[str, Any]]:
    return [{"id": rule_id, "object": "validation_rules"} for rule_id in rule_ids]


def campaign_setup(
    uow: UnitOfWork,
    project_id: str,
    template_id: str,
    fields: dict[str, Any],
    request_id: str | None = None,
) -> dict[str, Any]:
    """Create a campaign from the template; the fields sent replace the template's."""
    _no_rules(fields)
    template = get(uow, project_id, template_id)
    definition = template.campaign
    given = _set(fields)
    voucher = {**definition["voucher"], **_set(given.get("voucher"))}
    body = {**definition, **given, "voucher": voucher}
    body["campaign_type"] = definition["campaign_type"]
    body.pop("banner", None)
    created: list[str] = []

    def prepare(tx: Tx) -> dict[str, Any]:
        created.extend(validation_rules.insert_copies(tx, template.validation_rules))
        return {"validation_rules": created} if created else {}

    campaign = campaigns.create(uow, project_id, body, request_id, prepare)
    return {
        "created_resources": _created(created),
        "campaign": campaign,
        "object": "campaign_setup",
    }


def _tier_fields(definition: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    kept = ("banner", "start_date", "expiration_date", *TIER_FIELDS)
    base = {k: definition[k] for k in kept if k in definition}
    action = {"discount": definition["voucher"]["discount"]}
    return {**base, "action": action, **given}


def tier_setup(
    uow: UnitOfWork, project_id: str, template_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """Add a promotion tier made from a discount template to a PROMOTION campaign."""
    _no_rules(fields)
    given = _set(fields)
    campaign_id = given.pop("campaign_id", None)
    if not campaign_id:
        raise InvalidPayload("Invalid payload", "campaign_id is required")
    with uow.write(project_id) as tx:
        template = _require(tx, template_id)
        definition = template.campaign
        if definition["voucher"]["type"] != "DISCOUNT_VOUCHER":
            raise InvalidPayload(
                "Invalid payload", "Only a discount template can set up a promotion tier"
            )
        campaign = promotions.require_promotion(tx, campaign_id)
        tier = _tier_fields(definition, given)
        rule_ids = validation_rules.insert_copies(tx, template.validation_rules)
        if rule_ids:
            tier["validation_rules"] = rule_ids
        row = promotions.insert_tier(tx, campaign, tier)
        return {
            "created_resources": _created(rule_ids),
            "promotion_tier": promotion_tier(row),
            "object": "promotion_tier_setup",
        }
