"""(Re)build ``tests/support/data/loyalty_v2.json`` from Voucherify's Loyalty v2 spec.

The v2 tests check every response against the schemas of ``LoyaltyV2.json`` and list its
operations, but must not read anything outside the repository. This script keeps what they need:
the operations (method, path, operationId, request and response schema names per status) and
the response schemas (and those they refer to) with their structural keywords only
(descriptions and examples dropped).

Source: ``--spec``, ``$OPENVOUCHER_LOYALTY_V2_SPEC`` or
``../shared/voucherify/spec/LoyaltyV2.json``. ``--check`` fails when the file is stale;
``tests/api/loyalty_v2/test_v2_derived.py`` does the same whenever the spec is present.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from derive_webhook_schema import structure, write_or_check

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT.parent / "shared" / "voucherify" / "spec" / "LoyaltyV2.json"
OUTPUT = ROOT / "tests" / "support" / "data" / "loyalty_v2.json"
METHODS = ("get", "post", "put", "patch", "delete")
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
        "if",
        "then",
        "else",
        "not",
        "items",
        "additionalProperties",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "pattern",
    }
)
"""The schema keywords kept; prose, examples and defaults are left out."""


def spec_path() -> Path:
    """Where the Loyalty v2 spec is read from."""
    configured = os.environ.get("OPENVOUCHER_LOYALTY_V2_SPEC")
    return Path(configured) if configured else DEFAULT_SPEC


def _schema_name(body: dict[str, Any] | None) -> str | None:
    if not body:
        return None
    schema = body.get("content", {}).get("application/json", {}).get("schema")
    if not schema:
        return None
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation: method, path, operationId, request and response schema names."""
    found = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = {
                status: _schema_name(response)
                for status, response in sorted(operation.get("responses", {}).items())
            }
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "operationId": operation.get("operationId", ""),
                    "tag": (operation.get("tags") or ["Other"])[0],
                    "request": _schema_name(operation.get("requestBody")),
                    "responses": responses,
                }
            )
    return found


def _refs(node: Any) -> set[str]:
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
    return found.union(*(_refs(value) for value in node.values()))


def reachable(schemas: dict[str, Any], roots: set[str]) -> set[str]:
    """The schemas ``roots`` name, directly or through ``$ref``s."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        todo += sorted(_refs(schemas[name]) - seen)
    return seen


def derive(spec: dict[str, Any]) -> dict[str, Any]:
    """The derived document: operations and the response schemas (structure only)."""
    schemas = {
        name: structure(schema, STRUCTURE) for name, schema in spec["components"]["schemas"].items()
    }
    found = operations(spec)
    roots = {name for op in found for name in op["responses"].values() if name}
    return {
        "source": "Voucherify LoyaltyV2.json " + str(spec["info"].get("version", "")),
        "operations": found,
        "schemas": {name: schemas[name] for name in sorted(reachable(schemas, roots))},
    }


def render(spec_file: Path | None = None) -> str:
    """The file's text as it should read now."""
    spec = json.loads((spec_file or spec_path()).read_text(encoding="utf-8"))
    return json.dumps(derive(spec), indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` verify) the derived file."""
    return write_or_check(
        argv, description=__doc__, spec_name="LoyaltyV2.json", output=OUTPUT, make=render
    )


if __name__ == "__main__":
    raise SystemExit(main())
