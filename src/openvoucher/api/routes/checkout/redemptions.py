"""``/v1/redemptions`` (redeem, rollbacks, list, get), ``/v1/vouchers/{code}/redemption`` and
``/v1/vouchers/{code}/sessions/{sessionKey}``."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from starlette.datastructures import QueryParams

from openvoucher.api.params import choice_param, date_param, invalid_query, page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.customers import given
from openvoucher.api.schemas.redemptions import RollbackBody, StackBody
from openvoucher.checkout import redemption_reads, redemptions, rollbacks, sessions
from openvoucher.checkout.repositories.redemptions import (
    OPERATORS,
    STRING_FILTERS,
    Condition,
    RedemptionFilter,
)
from openvoucher.kernel.clock import parse_datetime
from openvoucher.kernel.idempotency import IdempotencyKey

routes = Routes()

ORDERS = {
    f"{sign}{name}"
    for sign in ("", "-")
    for name in ("created_at", "id", "voucher_code", "tracking_id", "customer_id")
}
UNSET_BY_SDK = "None"
FILTER_KEY = re.compile(r"^\[?filters\]?\[(\w+)\]\[conditions\]\[(\$\w+)\](?:\[\d*\])?$")


def _key(request: ApiRequest, endpoint: str) -> IdempotencyKey | None:
    return IdempotencyKey.of(request.headers.get("idempotency-key"), endpoint, request.raw)


@routes.post("/v1/redemptions")
def redeem(request: ApiRequest) -> dict[str, Any]:
    """Redeem up to 30 redeemables at once: all or none (``Idempotency-Key`` honoured)."""
    body = given(request.json(StackBody))
    return redemptions.redeem(
        request.uow, request.project_id, body, _key(request, "POST /v1/redemptions")
    )


def _rollback_fields(request: ApiRequest) -> dict[str, Any]:
    fields = {k: v for k, v in given(request.json(RollbackBody)).items() if v is not None}
    for name in ("reason", "tracking_id"):
        if request.query.get(name) and name not in fields:
            fields[name] = request.query[name]
    return fields


@routes.post("/v1/redemptions/{redemptionId}/rollback")
def rollback(request: ApiRequest) -> dict[str, Any]:
    """Roll back a redemption of one redeemable."""
    ident = request.path["redemptionId"]
    key = _key(request, f"POST /v1/redemptions/{ident}/rollback?{request.query}")
    fields = _rollback_fields(request)
    return rollbacks.rollback_one(request.uow, request.project_id, ident, fields, key)


@routes.post("/v1/redemptions/{parentRedemptionId}/rollbacks")
def rollback_stacked(request: ApiRequest) -> dict[str, Any]:
    """Roll back a stacked redemption: every redeemable it applied."""
    ident = request.path["parentRedemptionId"]
    key = _key(request, f"POST /v1/redemptions/{ident}/rollbacks?{request.query}")
    fields = _rollback_fields(request)
    return rollbacks.rollback_stacked(request.uow, request.project_id, ident, fields, key)


@routes.get("/v1/redemptions/{redemptionId}")
def get_redemption(request: ApiRequest) -> dict[str, Any]:
    """One redemption or rollback."""
    return redemption_reads.get(request.uow, request.project_id, request.path["redemptionId"])


def _values(raw: list[str]) -> tuple[str, ...]:
    values: list[str] = []
    for item in raw:
        if item.startswith("[") and item.endswith("]"):
            try:
                values.extend(str(v) for v in json.loads(item.replace("'", '"')))
                continue
            except ValueError:
                pass
        values.append(item)
    return tuple(values)


def _condition(field: str, op: str, raw: list[str]) -> Condition:
    if field not in STRING_FILTERS:
        raise invalid_query(f"filters[{field}] is not supported")
    if op not in OPERATORS:
        raise invalid_query(f"Unknown filter condition {op}")
    return Condition(field=field, op=op, values=_values(raw))


def _conditions(query: QueryParams) -> list[Condition]:
    found = []
    for name in dict.fromkeys(query.keys()):
        match = FILTER_KEY.match(name)
        # The official SDK sends every unset condition as the text "None": those are absent.
        raw = [value for value in query.getlist(name) if value not in {"", UNSET_BY_SDK}]
        if match and raw:
            found.append(_condition(match[1], match[2], raw))
    if query.get("filters"):
        try:
            parsed = json.loads(query["filters"])
            found += [
                _condition(field, op, value if isinstance(value, list) else [str(value)])
                for field, spec in parsed.items()
                if field != "junction"
                for op, value in (spec.get("conditions") or {}).items()
            ]
        except (ValueError, AttributeError) as exc:
            raise invalid_query("filters must be filters[field][conditions][$op]=value") from exc
    return found


def _created(query: QueryParams, edge: str) -> datetime | None:
    for name in (f"created_at[{edge}]", f"[created_at][{edge}]"):
        if query.get(name) and query[name] != UNSET_BY_SDK:
            return date_param(query, name)
    if query.get("created_at", "").startswith("{"):
        try:
            raw = json.loads(query["created_at"]).get(edge)
        except (ValueError, AttributeError) as exc:
            raise invalid_query("created_at must be created_at[before|after]=date") from exc
        return parse_datetime(raw) if raw else None
    return None


def _filters(query: QueryParams) -> RedemptionFilter:
    junction = query.get("filters[junction]") or query.get("[filters][junction]") or "and"
    junction = "and" if junction == UNSET_BY_SDK else junction
    if junction.lower() not in {"and", "or"}:
        raise invalid_query("filters[junction] must be and or or")
    result = query.get("result")
    if result and result.upper() not in {"SUCCESS", "FAILURE"}:
        raise invalid_query("result must be SUCCESS or FAILURE")
    try:
        after, before = _created(query, "after"), _created(query, "before")
    except ValueError as exc:
        raise invalid_query("created_at must hold ISO-8601 date-times") from exc
    return RedemptionFilter(
        conditions=tuple(_conditions(query)),
        junction=junction.lower(),
        result=result,
        campaign=query.get("campaign"),
        created_after=after,
        created_before=before,
    )


@routes.get("/v1/redemptions")
def list_redemptions(request: ApiRequest) -> dict[str, Any]:
    """A page of redemptions and rollbacks, newest first, narrowed by filters."""
    page = page_params(request.query, max_page=99)
    sort = choice_param(request.query, "order", ORDERS, "-created_at")
    return redemption_reads.list_redemptions(
        request.uow,
        request.project_id,
        _filters(request.query),
        request.query.get("customer"),
        order=sort,
        limit=page.limit,
        offset=page.offset,
    )


@routes.get("/v1/vouchers/{code}/redemption")
def voucher_redemptions(request: ApiRequest) -> dict[str, Any]:
    """A voucher's redemption history (redemptions and rollbacks, newest first)."""
    page = page_params(request.query, max_page=1000)
    return redemption_reads.of_voucher(
        request.uow,
        request.project_id,
        request.path["code"],
        limit=page.limit,
        offset=page.offset,
    )


@routes.delete("/v1/vouchers/{code}/sessions/{sessionKey}")
def release_session(request: ApiRequest) -> None:
    """Release what a LOCK validation session holds of the voucher."""
    sessions.release(
        request.uow, request.project_id, request.path["code"], request.path["sessionKey"]
    )
