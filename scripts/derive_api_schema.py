"""(Re)build ``tests/support/data/api_schemas.json`` from Voucherify's API spec.

The tests check every JSON response the suite receives against the response schema of its
operation in ``OpenAPI.json`` (``tests/support/responses.py``). They must not read anything
outside the repository, so this script keeps what they need as a derived file: per operation
(``GET /v1/vouchers/{code}``) the schema of each 2xx JSON response, and the component schemas
those reach, with the structure only (as ``derive_webhook_schema.py`` keeps it). One fact comes
from the spec's response examples: a property an example shows as ``null`` is marked
``x-example-null`` (the tests allow ``null`` there even where the spec does not say
``nullable``).

Source: ``--spec``, ``$OPENVOUCHER_API_SPEC`` or ``../shared/voucherify/spec/OpenAPI.json``.
``--check`` fails when the file is stale; ``tests/unit/api/test_api_schemas_derived.py`` does the
same whenever the spec is present.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from derive_webhook_schema import mark_example_nulls, structure, write_or_check

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT.parent / "shared" / "voucherify" / "spec" / "OpenAPI.json"
OUTPUT = ROOT / "tests" / "support" / "data" / "api_schemas.json"
METHODS = ("get", "post", "put", "patch", "delete")


def spec_path() -> Path:
    """Where the API spec is read from."""
    configured = os.environ.get("OPENVOUCHER_API_SPEC")
    return Path(configured) if configured else DEFAULT_SPEC


def _json_responses(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each 2xx status of an operation with its ``application/json`` content."""
    found = {}
    for status, response in (operation.get("responses") or {}).items():
        content = (response.get("content") or {}).get("application/json")
        if status.startswith("2") and content and "schema" in content:
            found[status] = content
    return found


def _examples(content: dict[str, Any]) -> list[Any]:
    examples = [e.get("value") for e in (content.get("examples") or {}).values()]
    return examples + ([content["example"]] if "example" in content else [])


def operations(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``"METHOD /path"`` → status → response schema (structure only), marking example nulls."""
    schemas = spec["components"]["schemas"]
    found: dict[str, dict[str, Any]] = {}
    for path, item in spec["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            for status, content in _json_responses(operation).items():
                for example in _examples(content):
                    mark_example_nulls(content["schema"], example, schemas)
                key = f"{method.upper()} {path}"
                found.setdefault(key, {})[status] = content["schema"]
    return found


def _refs(node: Any, into: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _refs(item, into)
    elif isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            into.add(ref.rsplit("/", 1)[-1])
        for value in node.values():
            _refs(value, into)


def reachable(roots: Any, schemas: dict[str, Any]) -> list[str]:
    """The component schemas ``roots`` reach through ``$ref``, sorted."""
    seen: set[str] = set()
    todo: set[str] = set()
    _refs(roots, todo)
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        _refs(schemas[name], todo)
    return sorted(seen)


def derive(spec: dict[str, Any]) -> dict[str, Any]:
    """The derived document: operations' response schemas and the components they reach."""
    found = operations(spec)
    schemas = spec["components"]["schemas"]
    return {
        "source": "Voucherify OpenAPI.json " + str(spec["info"].get("version", "")),
        "operations": {
            key: {status: structure(schema) for status, schema in sorted(responses.items())}
            for key, responses in sorted(found.items())
        },
        "schemas": {name: structure(schemas[name]) for name in reachable(found, schemas)},
    }


def render(spec_file: Path | None = None) -> str:
    """The file's text as it should read now (one line per operation and per schema)."""
    derived = derive(json.loads((spec_file or spec_path()).read_text(encoding="utf-8")))
    lines = ["{", f' "source": {json.dumps(derived["source"])},']
    for section in ("operations", "schemas"):
        entries = derived[section]
        lines.append(f' "{section}": {{')
        body = [
            f"  {json.dumps(k)}: {json.dumps(v, sort_keys=True, separators=(',', ':'))}"
            for k, v in entries.items()
        ]
        lines.append(",\n".join(body))
        lines.append(" }," if section == "operations" else " }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` verify) the derived file."""
    return write_or_check(
        argv, description=__doc__, spec_name="OpenAPI.json", output=OUTPUT, make=render
    )


if __name__ == "__main__":
    raise SystemExit(main())
