"""``tests/support/data/webhook_schemas.json`` is what the script derives from the webhook spec."""

from __future__ import annotations

import json

import pytest

from tests.support.scripts import load_script

derive = load_script("derive_webhook_schema")


def test_derived_file_matches_the_spec() -> None:
    """Regenerating from OpenAPIWebhooks.json gives the committed file byte for byte."""
    path = derive.spec_path()
    if not path.exists():
        pytest.skip(f"the webhook spec is not at {path} (set OPENVOUCHER_WEBHOOK_SPEC)")
    committed = derive.OUTPUT.read_text(encoding="utf-8")
    assert committed == derive.render(path), "run python scripts/derive_webhook_schema.py"


def test_derived_file_holds_structure_only() -> None:
    """No prose or examples survive; every event names a schema that the file holds."""
    derived = json.loads(derive.OUTPUT.read_text(encoding="utf-8"))
    keywords: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for keyword, value in node.items():
                if keyword == "properties":
                    for schema in value.values():
                        walk(schema)
                    continue
                keywords.add(keyword)
                walk(value)

    for schema in derived["schemas"].values():
        walk(schema)
    assert keywords <= derive.STRUCTURE
    assert {"description", "example", "title", "default"}.isdisjoint(keywords)
    assert set(derived["events"].values()) <= set(derived["schemas"])
    assert len(derived["events"]) == 72
