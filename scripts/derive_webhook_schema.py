"""(Re)build ``tests/support/data/webhook_schemas.json`` from Voucherify's webhook spec.

The tests check every webhook payload against the schemas of ``OpenAPIWebhooks.json``. They must
not read anything outside the repository, so this script keeps what they need as a derived file:
the structure only (types, properties, required keys, enums, nullability, ``$ref``/``allOf``/
``oneOf``/``anyOf``, items, formats and bounds) and, per event type, the name of its ``data``
schema. Descriptions, titles, examples and defaults are dropped; one fact is kept from the
examples: a property that Voucherify's own event examples send as ``null`` gets
``"x-example-null": true`` (the tests allow ``null`` there even where the spec does not say
``nullable``).

Source: ``--spec``, ``$OPENVOUCHER_WEBHOOK_SPEC`` or
``../shared/voucherify/spec/OpenAPIWebhooks.json``. ``--check`` fails when the file is stale;
``tests/unit/webhooks/test_webhook_schemas_derived.py`` does the same whenever the spec is present.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT.parent / "shared" / "voucherify" / "spec" / "OpenAPIWebhooks.json"
OUTPUT = ROOT / "tests" / "support" / "data" / "webhook_schemas.json"
STRUCTURE = frozenset(
    {
        "type",
        "properties",
        "required",
        "enum",
        "const",
        "nullable",
        "$ref",
        "allOf",
        "oneOf",
        "anyOf",
        "items",
        "additionalProperties",
        "format",
        "minimum",
        "maximum",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "pattern",
        "x-example-null",
    }
)
"""The schema keywords kept; everything else (prose, examples, defaults) is left out."""


def spec_path() -> Path:
    """Where the webhook spec is read from."""
    configured = os.environ.get("OPENVOUCHER_WEBHOOK_SPEC")
    return Path(configured) if configured else DEFAULT_SPEC


def structure(node: Any, keywords: frozenset[str] = STRUCTURE) -> Any:
    """``node`` with only the structural ``keywords``, recursively."""
    if isinstance(node, list):
        return [structure(item, keywords) for item in node]
    if not isinstance(node, dict):
        return node
    kept: dict[str, Any] = {}
    for keyword, value in node.items():
        if keyword not in keywords:
            continue
        if keyword == "properties":
            kept[keyword] = {name: structure(schema, keywords) for name, schema in value.items()}
        else:
            kept[keyword] = structure(value, keywords)
    return kept


def _resolve(node: Any, schemas: dict[str, Any]) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = schemas[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _containers(node: Any, schemas: dict[str, Any], seen: set[int]) -> list[dict[str, Any]]:
    """The object schemas ``node`` stands for: itself and its ``allOf``/``oneOf``/``anyOf``."""
    node = _resolve(node, schemas)
    if not isinstance(node, dict) or id(node) in seen:
        return []
    seen.add(id(node))
    found = [node] if isinstance(node.get("properties"), dict) else []
    for keyword in ("allOf", "oneOf", "anyOf"):
        for branch in node.get(keyword, []):
            found += _containers(branch, schemas, seen)
    return found


def mark_example_nulls(node: Any, value: Any, schemas: dict[str, Any]) -> None:
    """Mark the properties ``value`` (an example of ``node``) shows as null, recursively."""
    if isinstance(value, list):
        for schema in _containers_or_self(node, schemas):
            for item in value:
                mark_example_nulls(schema.get("items"), item, schemas)
        return
    if not isinstance(value, dict):
        return
    for container in _containers(node, schemas, set()):
        for key, inner in value.items():
            prop = container["properties"].get(key)
            if not isinstance(prop, dict):
                continue
            if inner is None:
                prop["x-example-null"] = True
            else:
                mark_example_nulls(prop, inner, schemas)


def _containers_or_self(node: Any, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    node = _resolve(node, schemas)
    if not isinstance(node, dict):
        return []
    found = [node] if "items" in node else []
    for keyword in ("allOf", "oneOf", "anyOf"):
        for branch in node.get(keyword, []):
            found += _containers_or_self(branch, schemas)
    return found


def _mark_all_examples(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for hook in spec["webhooks"].values():
        content = hook["post"]["requestBody"]["content"]["application/json"]
        examples = [e.get("value") for e in content.get("examples", {}).values()]
        if "example" in content:
            examples.append(content["example"])
        for example in examples:
            mark_example_nulls(content["schema"], example, schemas)


def event_schemas(spec: dict[str, Any]) -> dict[str, str]:
    """Each event type (``voucher.created``) and the component schema of its ``data``."""
    found = {}
    for name, hook in spec["webhooks"].items():
        body = hook["post"]["requestBody"]["content"]["application/json"]["schema"]
        event_type = name.removeprefix("EVENTS.").lower()
        found[event_type] = body["$ref"].rsplit("/", 1)[-1]
    return dict(sorted(found.items()))


def derive(spec: dict[str, Any]) -> dict[str, Any]:
    """The derived document: component schemas (structure only) and the event map."""
    _mark_all_examples(spec)
    schemas = spec["components"]["schemas"]
    return {
        "source": "Voucherify OpenAPIWebhooks.json " + str(spec["info"].get("version", "")),
        "events": event_schemas(spec),
        "schemas": {name: structure(schemas[name]) for name in sorted(schemas)},
    }


def render(spec_file: Path | None = None) -> str:
    """The file's text as it should read now."""
    spec = json.loads((spec_file or spec_path()).read_text(encoding="utf-8"))
    return json.dumps(derive(spec), indent=1, sort_keys=True) + "\n"


def write_or_check(
    argv: list[str] | None,
    *,
    description: str | None,
    spec_name: str,
    output: Path,
    make: Callable[[Path | None], str],
) -> int:
    """The derivation scripts' command line: write ``output``, or with ``--check`` verify it."""
    parser = argparse.ArgumentParser(description=(description or "").splitlines()[0])
    parser.add_argument("--spec", type=Path, default=None, help=f"Path to {spec_name}")
    parser.add_argument("--check", action="store_true", help="Fail if the file is out of date")
    args = parser.parse_args(argv)
    text = make(args.spec)
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            print(f"{output} is stale: rerun its script in scripts/", file=sys.stderr)
            return 1
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output.relative_to(ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` verify) the derived schema file."""
    return write_or_check(
        argv, description=__doc__, spec_name="OpenAPIWebhooks.json", output=OUTPUT, make=render
    )


if __name__ == "__main__":
    raise SystemExit(main())
