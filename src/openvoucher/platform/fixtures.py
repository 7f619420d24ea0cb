"""Fixture files for ``openvoucher seed``: customers, categories, locations, campaigns with
vouchers, standalone vouchers and loyalty programmes with earning rules, tiers and members.

A file (YAML or JSON) becomes an ordered list of API calls, which are then made against a
running server, so every object is validated and created exactly as a client's request would
be, its events emitted and its webhooks sent. The format::

    customers:        [ {source_id, name, email, metadata, …} ]          # POST /v1/customers
    categories:       [ {name, hierarchy} ]                              # POST /v1/categories
    locations:        [ {name, shape: {type: circle | polygon, …}} ]     # POST /v1/locations
    campaigns:        [ {…campaign…, vouchers: [ {code, …} ]} ]          # POST /v1/campaigns
    vouchers:         [ {code, type, discount | gift, …} ]               # POST /v1/vouchers/{code}
    loyalty_programs: [ {…programme…, earning_rules: […], tiers: […],
                         members: [ {customer: {source_id}, points: 100} ]} ]

Members' ``points`` are added with ``POST /v1/loyalties/members/{code}/balance``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from openvoucher.kernel.errors import InvalidPayload

SECTIONS = ("customers", "categories", "locations", "campaigns", "vouchers", "loyalty_programs")


@dataclass(frozen=True)
class Call:
    """One API request of the plan; ``then`` builds follow-up calls from its answer."""

    method: str
    path: str
    body: Any
    label: str
    then: Callable[[Any], list[Call]] | None = field(default=None, compare=False)


def load(path: Path) -> dict[str, Any]:
    """Read a YAML (``.yaml``/``.yml``) or JSON file into a mapping of sections."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in {".yaml", ".yml"}:
        try:
            yaml = importlib.import_module("yaml")
        except ImportError:
            raise InvalidPayload("Invalid fixtures", "YAML needs PyYAML; use JSON") from None
        data = yaml.safe_load(text)
    else:
        data = orjson.loads(text)
    if not isinstance(data, dict):
        raise InvalidPayload("Invalid fixtures", "The file must hold a mapping of sections")
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise InvalidPayload("Invalid fixtures", f"Unknown sections: {', '.join(unknown)}")
    return data


def _items(data: dict[str, Any], section: str) -> list[dict[str, Any]]:
    items = data.get(section) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InvalidPayload("Invalid fixtures", f"'{section}' must be a list of objects")
    return items


def plan(data: dict[str, Any]) -> list[Call]:
    """The calls creating everything in ``data``, parents before children."""
    calls = [Call("POST", "/v1/customers", c, "customer") for c in _items(data, "customers")]
    calls += [Call("POST", "/v1/categories", c, "category") for c in _items(data, "categories")]
    calls += [Call("POST", "/v1/locations", c, "location") for c in _items(data, "locations")]
    calls += [_campaign(c) for c in _items(data, "campaigns")]
    calls += [_voucher(v) for v in _items(data, "vouchers")]
    calls += [_programme(p) for p in _items(data, "loyalty_programs")]
    return calls


def _voucher(item: dict[str, Any], campaign_id: str | None = None) -> Call:
    body = {k: v for k, v in item.items() if k != "code"}
    code = item.get("code")
    if campaign_id is not None:
        path = f"/v1/campaigns/{campaign_id}/vouchers" + (f"/{code}" if code else "")
        return Call("POST", path, body, "voucher")
    return Call("POST", f"/v1/vouchers/{code}" if code else "/v1/vouchers", body, "voucher")


def _campaign(item: dict[str, Any]) -> Call:
    vouchers = item.get("vouchers") or []
    body = {k: v for k, v in item.items() if k != "vouchers"}

    def then(created: Any) -> list[Call]:
        return [_voucher(v, created["id"]) for v in vouchers]

    return Call("POST", "/v1/campaigns", body, "campaign", then)


def _programme(item: dict[str, Any]) -> Call:
    extra = {k: item.get(k) or [] for k in ("earning_rules", "tiers", "members")}
    body = {k: v for k, v in item.items() if k not in extra}

    def then(created: Any) -> list[Call]:
        base = f"/v1/loyalties/{created['id']}"
        calls = []
        if extra["earning_rules"]:
            calls.append(Call("POST", base + "/earning-rules", extra["earning_rules"], "rules"))
        if extra["tiers"]:
            calls.append(Call("POST", base + "/tiers", extra["tiers"], "tiers"))
        calls += [_member(base, member) for member in extra["members"]]
        return calls

    return Call("POST", "/v1/loyalties", body, "loyalty program", then)


def _member(base: str, member: dict[str, Any]) -> Call:
    points = member.get("points")
    body = {k: v for k, v in member.items() if k != "points"}

    def then(card: Any) -> list[Call]:
        if not points:
            return []
        path = f"/v1/loyalties/members/{card['code']}/balance"
        return [Call("POST", path, {"points": points}, "points")]

    return Call("POST", base + "/members", body, "member", then)


def run(calls: list[Call], send: Callable[[Call], Any]) -> dict[str, int]:
    """Make the calls in order (follow-ups right after their parent); counts per label."""
    counts: dict[str, int] = {}
    queue = list(calls)
    while queue:
        call = queue.pop(0)
        answer = send(call)
        counts[call.label] = counts.get(call.label, 0) + 1
        if call.then is not None:
            queue[0:0] = call.then(answer)
    return counts
