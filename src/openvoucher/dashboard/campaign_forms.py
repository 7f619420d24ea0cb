"""The campaign creation form as a ``POST /v1/campaigns`` body: codes and the voucher template
per type, a promotion's tiers (several rows, each checked by the API's tier schema) and a
referral programme's settings; checked at the end by the API's ``CampaignCreate``."""

from __future__ import annotations

from typing import Any

from openvoucher.api.schemas.campaigns import ReferralProgram
from openvoucher.api.schemas.promotions import TierCreate
from openvoucher.api.schemas.webhooks import plain
from openvoucher.dashboard.forms import (
    FormError,
    as_schema,
    money_cents,
    required_text,
    whole_number,
)
from openvoucher.dashboard.web import Page, field_errors
from openvoucher.kernel.errors import VoucherifyError

CREATABLE = (
    "GIFT_VOUCHERS",
    "DISCOUNT_COUPONS",
    "LOYALTY_PROGRAM",
    "REFERRAL_PROGRAM",
    "PROMOTION",
)
TIER_ROWS = 3
"""Tier rows the form shows at first (``?tiers=N`` shows more, up to ``MAX_TIER_ROWS``)."""
MAX_TIER_ROWS = 20
TIER_FIELDS = ("name", "banner", "discount_kind", "discount")
REFERRAL_FIELDS = (
    "conversion_event_type",
    "custom_event_name",
    "referee_reward_type",
    "referee_reward_campaign",
    "referee_reward_amount",
)
FORM_FIELDS = (
    "name",
    "campaign_type",
    "description",
    "vouchers_count",
    "prefix",
    "length",
    "amount",
    "discount_kind",
    "discount",
    "points",
    "expire_months",
    "start_date",
    "expiration_date",
    "metadata",
    "join_once",
    *REFERRAL_FIELDS,
)


def tier_rows(page: Page) -> int:
    """How many tier rows the form has (the posted count, else ``?tiers=``, else 3)."""
    raw = page.field("tier_rows") or page.query.get("tiers") or ""
    return min(max(int(raw), 1), MAX_TIER_ROWS) if raw.isdigit() else TIER_ROWS


def form_values(page: Page) -> dict[str, str]:
    """Every field as typed, to keep the form filled when it comes back with errors."""
    names = list(FORM_FIELDS)
    for index in range(1, tier_rows(page) + 1):
        names += [f"tier_{index}_{name}" for name in TIER_FIELDS]
    return {name: page.field(name) for name in names}


def discount_of(page: Page, prefix: str = "") -> dict[str, Any]:
    """The discount the form describes: percent off, or an amount off."""
    kind, name = page.field(prefix + "discount_kind"), prefix + "discount"
    if kind == "AMOUNT":
        return {"type": "AMOUNT", "amount_off": money_cents(page.field(name), name)}
    percent = whole_number(page.field(name), name, low=1)
    if percent > 100:
        raise FormError({name: "A percentage is at most 100."})
    return {"type": "PERCENT", "percent_off": percent}


def _voucher_template(page: Page, kind: str) -> dict[str, Any]:
    """The ``voucher`` object of the campaign type from the form."""
    if kind == "GIFT_VOUCHERS":
        amount = money_cents(page.field("amount"), "amount")
        return {"type": "GIFT_VOUCHER", "gift": {"amount": amount}}
    if kind == "LOYALTY_PROGRAM":
        points = whole_number(page.field("points"), "points", required=False, low=0)
        card: dict[str, Any] = {"points": points}
        months = whole_number(page.field("expire_months"), "expire_months", required=False, low=0)
        if months:
            card["expiration_rules"] = {"period_type": "MONTH", "period_value": months}
        return {"type": "LOYALTY_CARD", "loyalty_card": card}
    return {"type": "DISCOUNT_VOUCHER", "discount": discount_of(page)}


def _codes(page: Page, kind: str) -> dict[str, Any]:
    """The voucher template, code pattern and count (every type but PROMOTION has codes)."""
    template = _voucher_template(page, kind)
    length = whole_number(page.field("length") or "8", "length", low=4)
    template["code_config"] = {"length": length}
    if page.field("prefix"):
        template["code_config"]["prefix"] = page.field("prefix")
    count = whole_number(page.field("vouchers_count") or "0", "vouchers_count", low=0)
    return {"voucher": template, "vouchers_count": count}


def _tier(page: Page, index: int) -> dict[str, Any] | None:
    """Tier row ``index`` as an API tier (None when the row is left empty)."""
    prefix = f"tier_{index}_"
    if not (page.field(prefix + "name") or page.field(prefix + "discount")):
        return None
    name = required_text(page.field(prefix + "name"), prefix + "name", "A tier name")
    tier = {
        "name": name,
        "banner": page.field(prefix + "banner") or name,
        "action": {"discount": discount_of(page, prefix)},
        "hierarchy": index,
    }
    try:
        return plain(as_schema(TierCreate, tier))
    except FormError as error:
        raise FormError({prefix + key: text for key, text in error.errors.items()}) from None


def promotion_tiers(page: Page) -> list[dict[str, Any]]:
    """Every filled tier row, in order (the first applies first: ``hierarchy`` 1, 2, …)."""
    errors: dict[str, str] = {}
    tiers = []
    for index in range(1, tier_rows(page) + 1):
        try:
            tier = _tier(page, index)
        except FormError as error:
            errors.update(error.errors)
            continue
        if tier is not None:
            tiers.append(tier)
    if errors:
        raise FormError(errors)
    if not tiers:
        raise FormError({"tier_1_name": "A promotion needs at least one tier."})
    return tiers


def referral_program(page: Page) -> dict[str, Any]:
    """``referral_program``: what converts a referral, and the referee's reward (optional)."""
    event = page.field("conversion_event_type") or "redemption"
    settings: dict[str, Any] = {"conversion_event_type": event}
    if event == "custom_event":
        name = required_text(page.field("custom_event_name"), "custom_event_name", "The event")
        settings["custom_event"] = {"name": name}
    kind = page.field("referee_reward_type")
    if kind:
        campaign = required_text(
            page.field("referee_reward_campaign"), "referee_reward_campaign", "The campaign"
        )
        raw = page.field("referee_reward_amount")
        amount = (
            money_cents(raw, "referee_reward_amount")
            if kind == "GIFT_VOUCHER"
            else whole_number(raw, "referee_reward_amount", low=1)
        )
        settings["referee_reward"] = {
            "type": kind,
            "amount": amount,
            "related_object_parent": {"id": campaign},
        }
    checked = plain(as_schema(ReferralProgram, settings))
    if not kind:
        checked["referee_reward"] = None  # "none" replaces a stored reward on an edit
    return checked


def campaign_body(page: Page) -> dict[str, Any]:
    """The ``POST /v1/campaigns`` body the form describes."""
    kind = page.field("campaign_type")
    if kind not in CREATABLE:
        raise FormError({"campaign_type": "Choose a campaign type."})
    name = required_text(page.field("name"), "name", "A name")
    body: dict[str, Any] = {"name": name, "campaign_type": kind}
    if kind == "PROMOTION":
        body["promotion"] = {"tiers": promotion_tiers(page)}
    else:
        body["type"] = "AUTO_UPDATE" if kind == "LOYALTY_PROGRAM" else "STATIC"
        body.update(_codes(page, kind))
    if kind == "REFERRAL_PROGRAM":
        body["referral_program"] = referral_program(page)
    for field in ("description", "start_date", "expiration_date"):
        if page.field(field):
            body[field] = page.field(field)
    if page.field("metadata"):
        body["metadata"] = metadata_lines(page.field("metadata"))
    if page.field("join_once") == "true":
        body["join_once"] = True
    return body


def metadata_lines(text: str, name: str = "metadata") -> dict[str, str]:
    """Metadata typed one ``key: value`` per line (values are text)."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon or not key.strip():
            raise FormError({name: f"Write each entry as 'key: value' ('{line.strip()}')."})
        found[key.strip()] = value.strip()
    return found


def metadata_text(metadata: dict[str, Any] | None) -> str:
    """Stored metadata as the form's ``key: value`` lines."""
    return "\n".join(f"{key}: {value}" for key, value in (metadata or {}).items())


REFERRAL_MESSAGES = (
    ("referee_reward.amount", "referee_reward_amount"),
    ("referee_reward.type", "referee_reward_type"),
    ("referee_reward", "referee_reward_campaign"),
    ("custom_event", "custom_event_name"),
    ("conversion_event_type", "conversion_event_type"),
)


def service_errors(error: VoucherifyError) -> dict[str, str]:
    """A use case's refusal placed at its field: referral settings by what the message names,
    else the common fields (``web.field_errors``)."""
    text = error.details or error.message
    if "referral_program" in text:
        for needle, name in REFERRAL_MESSAGES:
            if needle in text:
                return {name: text}
        return {"_form": text}
    return field_errors(error, FORM_FIELDS)


def referral_values(campaign: dict[str, Any]) -> dict[str, str]:
    """The referral settings form filled from a stored campaign."""
    settings = campaign.get("referral_program") or {}
    reward = settings.get("referee_reward") or {}
    parent = reward.get("related_object_parent") or {}
    amount = reward.get("amount")
    shown = "" if amount is None else str(amount)
    if reward.get("type") == "GIFT_VOUCHER" and isinstance(amount, int):
        shown = f"{amount // 100}.{amount % 100:02d}"
    return {
        "conversion_event_type": settings.get("conversion_event_type") or "redemption",
        "custom_event_name": (settings.get("custom_event") or {}).get("name") or "",
        "referee_reward_type": reward.get("type") or "",
        "referee_reward_campaign": parent.get("id") or "",
        "referee_reward_amount": shown,
    }
