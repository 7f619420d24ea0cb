"""Validation against Voucherify's webhook schemas and an independent signature check.

The schemas come from ``tests/support/data/webhook_schemas.json``, derived from
``OpenAPIWebhooks.json`` by ``scripts/derive_webhook_schema.py`` (structure only), so the tests
read nothing outside the repository.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from tests.support import spec_readings

SCHEMAS = Path(__file__).resolve().parent / "data" / "webhook_schemas.json"


@cache
def _derived() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMAS.read_text(encoding="utf-8"))
    return loaded


NULL_MARKS = ("nullable", "x-example-null")
"""Where ``null`` is allowed: the spec says ``nullable`` or Voucherify's own example sends null."""


def _or_null(schema: Any) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _nullable(node: Any, *, null_fields: bool) -> Any:
    """OpenAPI's ``nullable: true`` (and ``x-example-null``) as JSON Schema: the schema or null.

    With ``null_fields`` every object property may also be null: Voucherify sends ``null`` for
    unset fields that the spec types as plain strings or objects (its own ``voucher.created``
    example fails the strict schema that way).
    """
    if isinstance(node, list):
        return [_nullable(item, null_fields=null_fields) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {
        k: _nullable(v, null_fields=null_fields) for k, v in node.items() if k not in NULL_MARKS
    }
    if null_fields and isinstance(converted.get("properties"), dict):
        converted["properties"] = {k: _or_null(v) for k, v in converted["properties"].items()}
    return _or_null(converted) if any(node.get(m) is True for m in NULL_MARKS) else converted


@cache
def _components(null_fields: bool = False) -> dict[str, Any]:
    schemas = spec_readings.read(_derived()["schemas"])
    return {"components": {"schemas": _nullable(schemas, null_fields=null_fields)}}


@cache
def data_schema_name(event_type: str) -> str:
    """The schema of the ``data`` of ``event_type``'s webhook (``EVENTS.VOUCHER.CREATED``).

    ``business_validation_rule.*`` events are the spec's ``EVENTS.BUS_VAL_RULE.*``.
    """
    spec_name = event_type.replace("business_validation_rule.", "bus_val_rule.", 1)
    name: str = _derived()["events"][spec_name]
    return name


def errors(instance: Any, schema_name: str, *, null_fields: bool = False) -> list[str]:
    """Every validation error of ``instance`` against a component schema."""
    components = _components(null_fields)
    root: dict[str, Any] = {**components, "$ref": f"#/components/schemas/{schema_name}"}
    validator = Draft202012Validator(root)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def project_envelope_errors(payload: dict[str, Any]) -> list[str]:
    """Errors against ``WebhookProjectSettingPayload`` and ``DefaultPayloadData1/2``.

    One relaxation: the spec's ``event.type`` enum lists only distribution triggers
    (``customer.order.paid`` …), while ``DefaultPayloadData2`` documents it as the event itself
    (``redemption.succeeded``); we check ``event.type`` against the latter.
    """
    event_type = payload.get("event", {}).get("type")
    relaxed = {**payload, "event": {**payload.get("event", {}), "type": "customer.order.paid"}}
    found = errors(relaxed, "WebhookProjectSettingPayload")
    found += errors(payload, "DefaultPayloadData1") + errors(payload, "DefaultPayloadData2")
    if event_type != payload.get("type"):
        found.append(f"event.type {event_type!r} differs from type {payload.get('type')!r}")
    return found


def data_errors(event_type: str, data: Any) -> list[str]:
    """Errors of an event's ``data`` against its schema (null allowed for any field)."""
    return errors(data, data_schema_name(event_type), null_fields=True)


def verify_voucherify(body: bytes, secret: str, signature: str) -> bool:
    """Recompute ``x-voucherify-signature`` (hex HMAC-SHA256 of the raw body)."""
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def verify_standard(headers: dict[str, str], body: bytes, secret: str) -> bool:
    """Recompute the Standard Webhooks ``webhook-signature`` from the ``whsec_`` secret."""
    key = base64.b64decode(("whsec_" + base64.b64encode(secret.encode()).decode())[6:])
    content = b".".join(
        [headers["webhook-id"].encode(), headers["webhook-timestamp"].encode(), body]
    )
    digest = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    return any(part == f"v1,{digest}" for part in headers["webhook-signature"].split(" "))


def _leaves(error: ValidationError) -> list[str]:
    """The innermost reasons of an error (``oneOf``/``anyOf`` branches opened up), each as
    ``path: keyword`` (``voucher.gift: required balance``; array indices as ``*``)."""
    if not error.context:
        where = ".".join("*" if isinstance(p, int) else str(p) for p in error.absolute_path)
        reason = str(error.validator)
        if error.validator == "required":
            reason += " " + error.message.split("'")[1]
        return [f"{where or '(root)'}: {reason}"]
    found: list[str] = []
    for branch in error.context:
        if branch.validator == "type" and branch.validator_value == "null":
            continue
        found += _leaves(branch)
    return found


LISTED_WITHOUT_SCHEMA = {
    "campaign.earning_rule.": {"campaign": "SimpleCampaign", "earning_rule": "EarningRule"},
    "campaign.promotion_stack.": {
        "campaign": "SimpleCampaign",
        "promotion_stack": "SimplePromotionStack",
    },
}
"""Event families Voucherify lists (``project-settings-webhooks``) but gives no ``data`` schema:
each key is checked against the schema the webhook spec gives the same object elsewhere
(``campaign`` as in every ``campaign.*`` event, ``earning_rule`` as in
``customer.rewarded.loyalty_points``, the stack as ``SimplePromotionStack``), all required
(ADR 0087)."""


def _data_schema(event_type: str) -> dict[str, Any]:
    """A reference to the schema of ``event_type``'s data, or the schema assembled for a
    family the spec lists without one (:data:`LISTED_WITHOUT_SCHEMA`)."""
    for prefix, keys in LISTED_WITHOUT_SCHEMA.items():
        if event_type.startswith(prefix):
            return {
                "type": "object",
                "properties": {k: {"$ref": f"#/components/schemas/{n}"} for k, n in keys.items()},
                "required": sorted(keys),
            }
    return {"$ref": f"#/components/schemas/{data_schema_name(event_type)}"}


def strict_data_errors(event_type: str, data: Any) -> list[str]:
    """Errors of an event's ``data`` with required keys and nullability as the spec has them."""
    root: dict[str, Any] = {**_components(False), **_data_schema(event_type)}
    validator = spec_readings.Validator(root)
    return [leaf for e in validator.iter_errors(data) for leaf in _leaves(e)]
