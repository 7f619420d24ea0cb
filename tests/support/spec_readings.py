"""How the conformance checks read three kinds of flaw in Voucherify's own schemas (ADR 0087).

Each reading keeps every required key the spec can mean and every nullability rule as the spec
has them; it only stops the checker from demanding what no object can satisfy:

- **``oneOf`` as "at least one branch, in full"** (:data:`Validator`). The spec has no
  ``discriminator`` anywhere, and several of its ``oneOf`` unions overlap: the three reward
  parameter shapes require no key, so every value matches all three; ``AnyOne`` offers a string,
  a date string and a date-time string, so a date matches three branches. A value must still
  pass one branch completely (its required keys and types); it is no longer failed for passing
  two.
- **``additionalProperties: false`` inside an ``allOf``** (:func:`close_unions`). An order is
  ``allOf: [OrderCalculatedBase, {customer, referrer}]`` and both parts forbid properties they do
  not list, so each forbids the other's keys and no order passes. Read as the spec means it:
  the ``allOf`` as a whole admits only the properties its parts list (JSON Schema's
  ``unevaluatedProperties: false`` on the ``allOf``); a stray key still fails.
- **A required key the object never declares** (:func:`drop_undeclared_required`), where
  neither the schema nor any part it is composed with (``allOf``) lists the key under
  ``properties`` (``MetadataSchemasListResponseBody`` requires ``data`` but lists ``schemas``,
  ``RedemptionRewardResult`` requires ``reward`` inside the reward). Voucherify's own examples
  of those objects leave the key out (ADR 0087 lists each one); the declared keys stay required.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError


def _one_or_more(
    validator: Any, branches: list[Any], instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """``oneOf`` read as: ``instance`` passes at least one branch in full."""
    found: list[ValidationError] = []
    for index, branch in enumerate(branches):
        errors = list(validator.descend(instance, branch, schema_path=index))
        if not errors:
            return
        found += errors
    yield ValidationError(f"{instance!r} is not valid under any given schema", context=found)


Validator = validators.extend(Draft202012Validator, {"oneOf": _one_or_more})
"""Draft 2020-12 with the overlapping-``oneOf`` reading."""


def _resolve(node: Any, schemas: dict[str, Any]) -> Any:
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node and node["$ref"] not in seen:
        seen.add(node["$ref"])
        node = schemas.get(node["$ref"].rsplit("/", 1)[-1], {})
    return node


def _declared(node: Any, schemas: dict[str, Any], seen: set[int] | None = None) -> set[str]:
    """Every property name ``node`` lists, through ``$ref`` and ``allOf``/``oneOf``/``anyOf``."""
    seen = set() if seen is None else seen
    node = _resolve(node, schemas)
    if not isinstance(node, dict) or id(node) in seen:
        return set()
    seen.add(id(node))
    names = set(node.get("properties") or {})
    for keyword in ("allOf", "oneOf", "anyOf"):
        for part in node.get(keyword) or []:
            names |= _declared(part, schemas, seen)
    return names


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)


def _partners(schemas: dict[str, Any]) -> dict[int, set[str]]:
    """For each schema node that is a part of an ``allOf``: the keys its other parts list."""
    found: dict[int, set[str]] = {}
    for node in _walk(schemas):
        parts = node.get("allOf")
        if not isinstance(parts, list):
            continue
        for index, part in enumerate(parts):
            others = set().union(
                *(_declared(p, schemas) for i, p in enumerate(parts) if i != index)
            )
            target = _resolve(part, schemas)
            found.setdefault(id(target), set()).update(others)
    return found


def drop_undeclared_required(schemas: dict[str, Any]) -> dict[str, Any]:
    """``schemas`` without the required keys no part of their object declares."""
    schemas = copy.deepcopy(schemas)
    partners = _partners(schemas)
    for node in _walk(schemas):
        required = node.get("required")
        if not isinstance(required, list) or not isinstance(node.get("properties"), dict):
            continue
        known = _declared(node, schemas) | partners.get(id(node), set())
        node["required"] = [key for key in required if key in known]
    return schemas


def _open(part: Any, schemas: dict[str, Any]) -> Any:
    """An ``allOf`` part without its own ``additionalProperties: false`` (a copy)."""
    target = _resolve(part, schemas)
    if not isinstance(target, dict) or target.get("additionalProperties") is not False:
        return part
    return {k: v for k, v in target.items() if k != "additionalProperties"}


def close_unions(schemas: dict[str, Any]) -> dict[str, Any]:
    """Each ``allOf`` whose parts forbid extra keys, closed as a whole instead."""
    schemas = copy.deepcopy(schemas)
    for node in list(_walk(schemas)):
        parts = node.get("allOf")
        if not isinstance(parts, list) or len(parts) < 2:
            continue
        opened = [_open(part, schemas) for part in parts]
        if any(new is not old for new, old in zip(opened, parts, strict=True)):
            node["allOf"] = opened
            node["unevaluatedProperties"] = False
    return schemas


def read(schemas: dict[str, Any]) -> dict[str, Any]:
    """The component schemas as the checks read them (both readings applied)."""
    return close_unions(drop_undeclared_required(schemas))
