"""(Re)write ``src/openvoucher/api/extensions.json`` (the operations docs/compat/endpoints.md
lists as extensions) and ``docs/openapi.json`` (the document ``GET /openapi.json`` serves).
Run after ``scripts/compat_table.py`` whenever routes change: ``python scripts/openapi_doc.py``.
``tests/api/test_openapi.py`` fails when either file is stale."""

from __future__ import annotations

import re
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "docs" / "compat" / "endpoints.md"
EXTENSIONS = ROOT / "src" / "openvoucher" / "api" / "extensions.json"
DOCUMENT = ROOT / "docs" / "openapi.json"
OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE


def extension_rows(table: str) -> list[str]:
    """``METHOD path`` of the table's extension rows, sorted."""
    found = re.findall(r"^\| (\w+) \| `([^`]+)` \| extension \|", table, re.M)
    return sorted(f"{method} {path}" for method, path in found)


def document_bytes() -> bytes:
    """The served document, as written to the repository."""
    from openvoucher.api.openapi import document
    from openvoucher.api.routes import all_routes

    return orjson.dumps(document(all_routes()), option=OPTIONS)


def main() -> None:
    """Write both files."""
    rows = extension_rows(TABLE.read_text(encoding="utf-8"))
    EXTENSIONS.write_bytes(orjson.dumps(rows, option=OPTIONS))
    from openvoucher.api.openapi import extensions

    extensions.cache_clear()
    DOCUMENT.write_bytes(document_bytes())
    print(f"wrote {EXTENSIONS.relative_to(ROOT)} and {DOCUMENT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
