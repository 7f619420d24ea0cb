"""``tests/support/data/api_schemas.json`` is what the script derives from the API spec, and
the response check maps request paths to the spec's operations."""

from __future__ import annotations

import json

import pytest

from tests.support.responses import operation_of, strict_response_errors
from tests.support.scripts import load_script

derive = load_script("derive_api_schema")


def test_derived_file_matches_the_spec() -> None:
    """Regenerating from OpenAPI.json gives the committed file byte for byte."""
    path = derive.spec_path()
    if not path.exists():
        pytest.skip(f"the API spec is not at {path} (set OPENVOUCHER_API_SPEC)")
    committed = derive.OUTPUT.read_text(encoding="utf-8")
    assert committed == derive.render(path), "run python scripts/derive_api_schema.py"


def test_every_referenced_schema_is_kept() -> None:
    """Each ``$ref`` of an operation or a kept schema names a schema the file holds."""
    derived = json.loads(derive.OUTPUT.read_text(encoding="utf-8"))
    names: set[str] = set()
    derive._refs([derived["operations"], derived["schemas"]], names)
    assert names <= set(derived["schemas"])
    assert len(derived["operations"]) > 150


def test_paths_map_to_operations() -> None:
    """Literal segments win over parameters; unknown paths map to nothing."""
    assert operation_of("GET", "/v1/vouchers/ABC") == "GET /v1/vouchers/{code}"
    assert operation_of("POST", "/v1/vouchers/import") == "POST /v1/vouchers/import"
    assert operation_of("GET", "/v1/nothing-here") is None


def test_strict_check_enforces_required_and_null() -> None:
    """A missing required key and a wrong type are reported; a nullable field may be null."""
    assert strict_response_errors("POST /v1/validations", 200, {}) == [
        "(root): required stacking_rules"
    ]
    assert strict_response_errors("GET /v1/vouchers/{code}", 200, {"code": 5}) == ["code: type"]
    assert strict_response_errors("GET /v1/vouchers/{code}", 200, {"code": None}) == []
