"""Rewards: every reward type the API supports (a campaign's voucher, credits or points; pay
with points; a product), checked by ``RewardBody``; offering a reward in a loyalty or referral
programme for a points cost, checked by ``AssignmentBody``."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from openvoucher.api.schemas.rewards import AssignmentBody, RewardBody, plain
from openvoucher.api.schemas.vouchers import given
from openvoucher.catalog import campaigns
from openvoucher.catalog.repositories.campaigns import CampaignFilter
from openvoucher.dashboard.forms import (
    FormError,
    as_schema,
    money_cents,
    required_text,
    whole_number,
)
from openvoucher.dashboard.web import Page, Pages, field_errors, pager
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.loyalty import rewards
from openvoucher.loyalty.model import RewardChange

pages = Pages()

KINDS = ("CAMPAIGN", "COIN", "MATERIAL")
SOURCE_TYPES = ("DISCOUNT_COUPONS", "GIFT_VOUCHERS", "LOYALTY_PROGRAM")
PROGRAMME_TYPES = ("LOYALTY_PROGRAM", "REFERRAL_PROGRAM")
REWARD_FIELDS = (
    "name",
    "kind",
    "campaign",
    "balance",
    "exchange_ratio",
    "points_ratio",
    "product",
    "sku",
    "stock",
    "image_url",
    "description",
)
ASSIGN_FIELDS = ("programme", "reward", "points")
MESSAGES = (
    ("parameters.campaign.balance", "balance"),
    ("parameters.campaign", "campaign"),
    ("exchange_ratio", "exchange_ratio"),
    ("points_ratio", "points_ratio"),
    ("parameters.coin", "exchange_ratio"),
    ("sku", "sku"),
    ("product", "product"),
    ("stock", "stock"),
    ("parameters.loyalty.points", "points"),
    ("programme", "programme"),
    ("campaign", "programme"),
)


def _campaigns_of(page: Page, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    """The newest 100 campaigns of each type, for a form's choices."""
    found: list[dict[str, Any]] = []
    for kind in kinds:
        rows, _ = campaigns.list_campaigns(
            page.uow,
            page.project_id,
            CampaignFilter(campaign_type=kind),
            order="-created_at",
            limit=100,
            offset=0,
        )
        found += rows
    return found


def _render(page: Page, status: int = 200, **context: Any) -> Response:
    """The rewards page: the list, the creation form and the offering form."""
    number, limit, offset = pager(page.query)
    listed = rewards.list_rewards(
        page.uow, page.project_id, limit=limit, offset=offset, assignment_id=None
    )
    offer = {"programme": page.query.get("campaign") or "", "points": ""}
    context.setdefault("values", {"kind": "CAMPAIGN"})
    context.setdefault("offer", offer)
    context.setdefault("offer_errors", {})
    return page.render(
        "rewards.html",
        status,
        rows=listed["data"],
        total=listed["total"],
        number=number,
        limit=limit,
        sources=_campaigns_of(page, SOURCE_TYPES),
        programmes=_campaigns_of(page, PROGRAMME_TYPES),
        choices=listed["data"],
        **context,
    )


@pages.get("/rewards")
def reward_list(page: Page) -> Response:
    """The project's rewards, and the forms to create and offer one."""
    return _render(page)


def _campaign_parameters(page: Page) -> dict[str, Any]:
    """A campaign reward: the campaign, and the credits (gift) or points (loyalty) it adds."""
    ident = required_text(page.field("campaign"), "campaign", "The campaign")
    try:
        kind = campaigns.get(page.uow, page.project_id, ident)["campaign_type"]
    except VoucherifyError:
        raise FormError({"campaign": f"No campaign {ident} in this project."}) from None
    body: dict[str, Any] = {"id": ident}
    if kind == "GIFT_VOUCHERS":
        body["balance"] = money_cents(page.field("balance"), "balance")
    elif kind == "LOYALTY_PROGRAM":
        body["balance"] = whole_number(page.field("balance"), "balance", low=1)
    return {"campaign": body}


def _material(page: Page, body: dict[str, Any]) -> dict[str, Any]:
    """A product reward: the product (and SKU), its stock and display attributes."""
    product = {"id": required_text(page.field("product"), "product", "The product")}
    if page.field("sku"):
        product["sku_id"] = page.field("sku")
    body["parameters"] = {"product": product}
    if page.field("stock"):
        body["stock"] = whole_number(page.field("stock"), "stock", low=0)
    attributes = {k: page.field(k) for k in ("image_url", "description") if page.field(k)}
    if attributes:
        body["attributes"] = attributes
    return body


def reward_body(page: Page) -> dict[str, Any]:
    """The ``POST /v1/rewards`` body the form describes."""
    kind = page.field("kind")
    body: dict[str, Any] = {"name": required_text(page.field("name"), "name", "A name")}
    if kind == "CAMPAIGN":
        body["parameters"] = _campaign_parameters(page)
    elif kind == "COIN":
        coin = {
            "exchange_ratio": required_text(
                page.field("exchange_ratio"), "exchange_ratio", "The value"
            ),
            "points_ratio": whole_number(page.field("points_ratio"), "points_ratio", low=1),
        }
        body["parameters"] = {"coin": coin}
    elif kind == "MATERIAL":
        body = _material(page, body)
    else:
        raise FormError({"kind": "Choose a reward type."})
    return body


def _errors(error: FormError | VoucherifyError, fields: tuple[str, ...]) -> dict[str, str]:
    if isinstance(error, FormError):
        return error.errors
    text = error.details or error.message
    for needle, name in MESSAGES:
        if needle in text and name in fields:
            return {name: text}
    return field_errors(error, fields)


@pages.post("/rewards")
def create_reward(page: Page) -> Response:
    """Create a reward, as ``POST /v1/rewards``."""
    try:
        fields = RewardChange.of(given(as_schema(RewardBody, reward_body(page))))
        created = rewards.create_reward(page.uow, page.project_id, fields)
    except (FormError, VoucherifyError) as error:
        values = {name: page.field(name) for name in REWARD_FIELDS}
        return _render(page, 422, values=values, errors=_errors(error, REWARD_FIELDS))
    return page.redirect("/rewards", done="reward", created=created["id"])


def assignment_body(page: Page) -> dict[str, Any]:
    """An assignment: the reward, and its points cost (none for pay-with-points rewards and in
    referral programmes, where the use case ignores it)."""
    required_text(page.field("programme"), "programme", "The programme")
    body: dict[str, Any] = {"reward": required_text(page.field("reward"), "reward", "A reward")}
    if page.field("points"):
        cost = whole_number(page.field("points"), "points", low=1)
        body["parameters"] = {"loyalty": {"points": cost}}
    return plain(as_schema(AssignmentBody, body))


@pages.post("/rewards/assignments")
def assign_reward(page: Page) -> Response:
    """Offer a reward in a programme, as ``POST /v1/loyalties/{id}/rewards``."""
    try:
        body = assignment_body(page)
        rewards.assign_to_programme(page.uow, page.project_id, page.field("programme"), [body])
    except (FormError, VoucherifyError) as error:
        offer = {name: page.field(name) for name in ASSIGN_FIELDS}
        errors = _errors(error, ASSIGN_FIELDS)
        return _render(page, 422, offer=offer, offer_errors=errors)
    programme = campaigns.get(page.uow, page.project_id, page.field("programme"))
    if programme["campaign_type"] == "LOYALTY_PROGRAM":
        return page.redirect(f"/loyalty/{programme['id']}", done="reward")
    return page.redirect(f"/campaigns/{programme['id']}", done="reward")
