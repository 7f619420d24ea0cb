"""The conformance checks' readings of flaws in the spec's schemas (ADR 0087) relax nothing
else: required keys, nullability and closed objects still fail."""

from __future__ import annotations

from typing import Any

from tests.support import spec_readings
from tests.support.responses import strict_response_errors
from tests.support.webhook_spec import strict_data_errors

CUSTOMER = {"id": "cust_1", "object": "customer", "name": "A", "source_id": "a", "metadata": {}}
ORDER: dict[str, Any] = {
    "id": "ord_1",
    "object": "order",
    "status": "PAID",
    "amount": 100,
    "created_at": "2026-01-01T00:00:00.000Z",
    "items": [],
    "metadata": {},
    "customer": {"id": "cust_1", "object": "customer"},
    "redemptions": {},
    "source_id": None,
    "customer_id": "cust_1",
    "referrer_id": None,
}


def _order_event(order: dict[str, Any]) -> dict[str, Any]:
    return {"customer": CUSTOMER, "referrer": None, "redemption": None, "order": order}


def test_an_order_of_two_closed_parts_passes_and_a_stray_key_fails() -> None:
    """``allOf`` of two parts that each forbid extra keys: a correct order passes, one with
    a key neither part lists fails, and a missing required key still fails."""
    assert strict_data_errors("customer.order.created", _order_event(ORDER)) == []
    stray = strict_data_errors("customer.order.created", _order_event({**ORDER, "bogus": 1}))
    assert stray == ["order: unevaluatedProperties"]
    short = {k: v for k, v in ORDER.items() if k != "customer_id"}
    assert "order: required customer_id" in strict_data_errors(
        "customer.order.created", _order_event(short)
    )


def test_overlapping_one_of_needs_one_branch_in_full() -> None:
    """A value matching several ``oneOf`` branches passes; one matching none fails."""
    schema = {"oneOf": [{"type": "string"}, {"type": "string", "format": "date"}]}
    validator = spec_readings.Validator(schema)
    assert list(validator.iter_errors("2026-01-01")) == []
    assert [e.validator for e in validator.iter_errors(True)] == ["oneOf"]


def test_only_undeclared_required_keys_are_dropped() -> None:
    """``required`` keeps every key the object (or a part it is composed with) declares."""
    schemas = {
        "A": {"type": "object", "properties": {"x": {}}, "required": ["x", "ghost"]},
        "B": {"allOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/C"}]},
        "C": {"type": "object", "properties": {"y": {}}, "required": ["x", "y"]},
    }
    read = spec_readings.drop_undeclared_required(schemas)
    assert read["A"]["required"] == ["x"]
    assert read["C"]["required"] == ["x", "y"]


def test_metadata_schema_list_needs_its_declared_keys() -> None:
    """The list passes with the keys its schema declares; a declared key of the wrong type
    still fails."""
    body = {"object": "list", "data_ref": "schemas", "schemas": [], "total": 0}
    assert strict_response_errors("GET /v1/metadata-schemas", 200, body) == []
    assert strict_response_errors("GET /v1/metadata-schemas", 200, {**body, "schemas": "none"})


def test_schema_less_event_families_are_checked_key_by_key() -> None:
    """``campaign.promotion_stack.*`` data without its stack fails as a missing key."""
    errors = strict_data_errors("campaign.promotion_stack.created", {"campaign": None})
    assert "(root): required promotion_stack" in errors
    assert "campaign: type" in errors
