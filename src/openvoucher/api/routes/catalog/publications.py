"""``/v1/publications``."""

from __future__ import annotations

import re
from typing import Any

import msgspec
from starlette.datastructures import QueryParams

from openvoucher.api.params import bool_param, choice_param, invalid_query, page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.publications import PublicationCreate, as_command
from openvoucher.catalog import publications
from openvoucher.catalog.model import Publish
from openvoucher.catalog.repositories.publications import (
    FILTER_COLUMNS,
    Condition,
    PublicationFilter,
)

routes = Routes()

ORDER_FIELDS = ("id", "voucher_code", "tracking_id", "customer_id", "created_at", "channel")
ORDERS = {*ORDER_FIELDS, *(f"-{name}" for name in ORDER_FIELDS)}
VOUCHER_TYPES = {"discount": "DISCOUNT_VOUCHER", "loyalty": "LOYALTY_CARD", "gift": "GIFT_VOUCHER"}
OPERATORS = {"$is", "$in", "$is_not", "$not_in", "$has_value", "$is_unknown"}
_FILTER = re.compile(r"^filters\[([a-z_]+)\]\[conditions\]\[(\$[a-z_]+)\](?:\[\d*\])?$")


@routes.post("/v1/publications")
def create_publication(request: ApiRequest) -> dict[str, Any]:
    """Publish a voucher (by code, or picked from a campaign) to a customer."""
    spec = as_command(request.json(PublicationCreate))
    join_once = bool_param(request.query, "join_once")
    return publications.create(request.uow, request.project_id, spec, join_once)


def _nested(query: QueryParams, name: str) -> dict[str, Any]:
    """``name[key]=value`` (and ``name[key][sub]=value``) query parameters as a dict."""
    found: dict[str, Any] = {}
    for key, value in query.multi_items():
        if not key.startswith(f"{name}[") or not key.endswith("]"):
            continue
        path = key[len(name) + 1 : -1].split("][")
        target = found
        for part in path[:-1]:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                raise invalid_query(f"'{key}' mixes a value and an object")
        target[path[-1]] = value
    return found


def _query_spec(query: QueryParams) -> Publish:
    """The GET variant's query parameters as a ``POST /v1/publications`` body."""
    raw: dict[str, Any] = {}
    for name in ("voucher", "source_id", "channel"):
        if query.get(name):
            raw[name] = query[name]
    for name in ("customer", "metadata", "campaign"):
        nested = _nested(query, name)
        if nested:
            raw[name] = nested
        elif query.get(name):
            raw[name] = query[name]
    campaign = raw.get("campaign")
    if isinstance(campaign, dict) and campaign.get("count") not in {None, "1"}:
        raise invalid_query("This endpoint publishes one voucher; use POST for several")
    if isinstance(campaign, dict):
        raw["campaign"] = {"name": campaign.get("name")}
    try:
        body = msgspec.convert(raw, PublicationCreate, strict=False)
    except msgspec.ValidationError as exc:
        raise invalid_query(str(exc)) from None
    return as_command(body)


@routes.get("/v1/publications/create")
def create_publication_by_query(request: ApiRequest) -> dict[str, Any]:
    """The GET variant: the same publication, its parameters in the query string."""
    spec = _query_spec(request.query)
    join_once = bool_param(request.query, "join_once")
    return publications.create(request.uow, request.project_id, spec, join_once)


def _typed(field: str, value: str) -> Any:
    if field == "is_referral_code":
        if value.lower() not in {"true", "false"}:
            raise invalid_query("filters[is_referral_code] takes true or false")
        return value.lower() == "true"
    if field == "voucher_type":
        if value not in VOUCHER_TYPES:
            raise invalid_query(f"filters[voucher_type] takes {', '.join(sorted(VOUCHER_TYPES))}")
        return VOUCHER_TYPES[value]
    return value


def _conditions(query: QueryParams) -> tuple[tuple[Condition, ...], str]:
    """``filters[field][conditions][$op][i]=value`` clauses and ``filters[junction]``."""
    grouped: dict[tuple[str, str], list[Any]] = {}
    for key, value in query.multi_items():
        if not key.startswith("filters[") or key == "filters[junction]":
            continue
        match = _FILTER.match(key)
        if match is None:
            raise invalid_query(
                f"'{key}' is not a filter of the form filters[field][conditions][$op]"
            )
        field, op = match.groups()
        if field not in {*FILTER_COLUMNS, "is_referral_code"} or op not in OPERATORS:
            raise invalid_query(f"Filtering by {field} with {op} is not supported")
        grouped.setdefault((field, op), []).append(_typed(field, value))
    junction = (query.get("filters[junction]") or "and").lower()
    if junction not in {"and", "or"}:
        raise invalid_query("filters[junction] must be AND or OR")
    conditions = tuple(Condition(f, op, tuple(values)) for (f, op), values in grouped.items())
    return conditions, junction


@routes.get("/v1/publications")
def list_publications(request: ApiRequest) -> dict[str, Any]:
    """A page of publications, filterable by campaign, customer, voucher, type and source_id."""
    q = request.query
    page = page_params(q)
    voucher_type = q.get("voucher_type") or None
    conditions, junction = _conditions(q)
    filters = PublicationFilter(
        voucher_code=q.get("voucher") or None,
        voucher_types=(_typed("voucher_type", voucher_type),) if voucher_type else (),
        is_referral_code=bool_param(q, "is_referral_code") if q.get("is_referral_code") else None,
        source_id=q.get("source_id") or None,
        result=choice_param(q, "result", {"SUCCESS", "FAILURE"}, "SUCCESS")
        if q.get("result")
        else None,
        conditions=conditions,
        junction=junction,
    )
    refs = {"campaign": q.get("campaign") or None, "customer": q.get("customer") or None}
    return publications.list_publications(
        request.uow,
        request.project_id,
        refs,
        filters,
        order=choice_param(q, "order", ORDERS, "-created_at"),
        limit=page.limit,
        offset=page.offset,
    )
