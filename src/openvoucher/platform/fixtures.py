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

Seeding is idempotent: an object that exists is matched — customers by ``source_id``,
categories, locations, campaigns and programmes by ``name``, vouchers by ``code``, members by
their customer — and left as it is (a matched programme's rules and tiers too); only what is
missing is created. Each item must carry the field it is matched by. It is all or nothing:
``cli/seed.py`` removes what a run created when a later call fails. Errors name the file, the
item (``campaigns[0].vouchers[1]``) and, where the API says, the field.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

from openvoucher.kernel.errors import InvalidPayload

SECTIONS = ("customers", "categories", "locations", "campaigns", "vouchers", "loyalty_programs")
KEYS = {
    "customers": "source_id",
    "categories": "name",
    "locations": "name",
    "campaigns": "name",
    "vouchers": "code",
    "loyalty_programs": "name",
}
"""The field each section's items are matched by when the file is seeded again."""

Get = Callable[[str], Any]
"""A GET on the server: the decoded answer, or None for 404."""


@dataclass(frozen=True)
class Call:
    """One API request of the plan; ``probe`` finds the object if it exists already, ``then``
    builds follow-up calls from the answer (or the match: ``matched`` is then True)."""

    method: str
    path: str
    body: Any
    label: str
    where: str = ""
    probe: Callable[[Get], Any] | None = field(default=None, compare=False)
    then: Callable[[Any, bool], list[Call]] | None = field(default=None, compare=False)


@dataclass
class Outcome:
    """What a run did: counts per label created and matched, and the created objects."""

    created: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    made: list[Any] = field(default_factory=list)


def _invalid(path: Path, text: str) -> InvalidPayload:
    return InvalidPayload("Invalid fixtures", f"{path}: {text}")


def load(path: Path) -> dict[str, Any]:
    """Read a YAML (``.yaml``/``.yml``) or JSON file into a mapping of sections, checked:
    errors name the file, the item and the field."""
    text = path.read_text(encoding="utf-8")
    data = _parse(path, text)
    if not isinstance(data, dict):
        raise _invalid(path, "the file must hold a mapping of sections")
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise _invalid(path, f"Unknown sections: {', '.join(unknown)}")
    for section in SECTIONS:
        _check_section(path, data, section)
    return data


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() in {".yaml", ".yml"}:
        try:
            yaml = importlib.import_module("yaml")
        except ImportError:
            raise _invalid(path, "YAML needs PyYAML; use JSON") from None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise _invalid(path, f"not valid YAML: {at}{problem}") from None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise _invalid(path, f"not valid JSON: {exc}") from None


def _check_section(path: Path, data: dict[str, Any], section: str) -> None:
    items = data.get(section) or []
    if not isinstance(items, list):
        raise _invalid(path, f"'{section}' must be a list of objects")
    for index, item in enumerate(items):
        where = f"{section}[{index}]"
        _require(path, where, item, KEYS[section])
        if section == "campaigns":
            for inner, voucher in enumerate(item.get("vouchers") or []):
                _require(path, f"{where}.vouchers[{inner}]", voucher, "code")
        if section == "loyalty_programs":
            for inner, member in enumerate(item.get("members") or []):
                _require(path, f"{where}.members[{inner}]", member, "customer")


def _require(path: Path, where: str, item: Any, key: str) -> None:
    if not isinstance(item, dict):
        raise _invalid(path, f"{where}: must be an object")
    if not item.get(key):
        raise _invalid(path, f"{where}: '{key}' is required (seeding again matches it by that)")


def _items(data: dict[str, Any], section: str) -> list[tuple[str, dict[str, Any]]]:
    return [(f"{section}[{i}]", item) for i, item in enumerate(data.get(section) or [])]


def _by_name(path: str, name: str, key: str = "data") -> Callable[[Get], Any]:
    def probe(get: Get) -> Any:
        listed = get(path) or {}
        return next((item for item in listed.get(key, []) if item.get("name") == name), None)

    return probe


def _at(path: str) -> Callable[[Get], Any]:
    return lambda get: get(path)


def plan(data: dict[str, Any]) -> list[Call]:
    """The calls creating everything in ``data``, parents before children."""
    calls = [
        Call("POST", "/v1/customers", c, "customer", w, _at(f"/v1/customers/{_q(c['source_id'])}"))
        for w, c in _items(data, "customers")
    ]
    calls += [
        Call("POST", "/v1/categories", c, "category", w, _by_name("/v1/categories", c["name"]))
        for w, c in _items(data, "categories")
    ]
    calls += [
        Call("POST", "/v1/locations", c, "location", w, _by_name(LOCATIONS, c["name"]))
        for w, c in _items(data, "locations")
    ]
    calls += [_campaign(w, c) for w, c in _items(data, "campaigns")]
    calls += [_voucher(w, v) for w, v in _items(data, "vouchers")]
    calls += [_programme(w, p) for w, p in _items(data, "loyalty_programs")]
    return calls


LOCATIONS = "/v1/locations?limit=100"


def _q(text: Any) -> str:
    return quote(str(text), safe="")


def _voucher(where: str, item: dict[str, Any], campaign_id: str | None = None) -> Call:
    body = {k: v for k, v in item.items() if k != "code"}
    code = _q(item["code"])
    probe = _at(f"/v1/vouchers/{code}")
    if campaign_id is not None:
        path = f"/v1/campaigns/{campaign_id}/vouchers/{code}"
        return Call("POST", path, body, "voucher", where, probe)
    return Call("POST", f"/v1/vouchers/{code}", body, "voucher", where, probe)


def _campaign(where: str, item: dict[str, Any]) -> Call:
    vouchers = item.get("vouchers") or []
    body = {k: v for k, v in item.items() if k != "vouchers"}

    def then(created: Any, _matched: bool) -> list[Call]:
        return [
            _voucher(f"{where}.vouchers[{i}]", v, created["id"]) for i, v in enumerate(vouchers)
        ]

    probe = _at(f"/v1/campaigns/{_q(item['name'])}")
    return Call("POST", "/v1/campaigns", body, "campaign", where, probe, then)


def _programme(where: str, item: dict[str, Any]) -> Call:
    extra = {k: item.get(k) or [] for k in ("earning_rules", "tiers", "members")}
    body = {k: v for k, v in item.items() if k not in extra}

    def then(created: Any, matched: bool) -> list[Call]:
        base = f"/v1/loyalties/{created['id']}"
        calls = []
        if extra["earning_rules"] and not matched:
            rules = extra["earning_rules"]
            calls.append(Call("POST", base + "/earning-rules", rules, "rules", where))
        if extra["tiers"] and not matched:
            calls.append(Call("POST", base + "/tiers", extra["tiers"], "tiers", where))
        members = enumerate(extra["members"])
        calls += [_member(f"{where}.members[{i}]", base, m) for i, m in members]
        return calls

    probe = _at(f"/v1/campaigns/{_q(item['name'])}")
    return Call("POST", "/v1/loyalties", body, "loyalty program", where, probe, then)


def _member(where: str, base: str, member: dict[str, Any]) -> Call:
    points = member.get("points")
    body = {k: v for k, v in member.items() if k != "points"}

    def probe(get: Get) -> Any:
        customer = member["customer"]
        ident = (
            customer.get("id") or customer.get("source_id") if isinstance(customer, dict) else None
        )
        found = get(f"/v1/customers/{_q(ident)}") if ident else None
        if found is None:
            return None
        cards = (get(base + "/members?limit=100") or {}).get("vouchers", [])
        return next((card for card in cards if card.get("holder_id") == found["id"]), None)

    def then(card: Any, matched: bool) -> list[Call]:
        if not points or matched:
            return []
        path = f"/v1/loyalties/members/{card['code']}/balance"
        return [Call("POST", path, {"points": points}, "points", where)]

    return Call("POST", base + "/members", body, "member", where, probe, then)


def run(
    calls: list[Call], send: Callable[[Call], Any], get: Get, outcome: Outcome | None = None
) -> Outcome:
    """Make the calls in order (follow-ups right after their parent), skipping what exists;
    when a call fails, ``outcome.made`` lists what was created so far (the caller removes it)."""
    outcome = outcome if outcome is not None else Outcome()
    queue = list(calls)
    while queue:
        call = queue.pop(0)
        found = call.probe(get) if call.probe is not None else None
        if found is not None:
            outcome.matched[call.label] = outcome.matched.get(call.label, 0) + 1
            answer = found
        else:
            answer = send(call)
            outcome.created[call.label] = outcome.created.get(call.label, 0) + 1
            outcome.made.append(answer)
        if call.then is not None:
            queue[0:0] = call.then(answer, found is not None)
    return outcome
