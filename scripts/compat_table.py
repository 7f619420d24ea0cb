"""(Re)build ``docs/compat/endpoints.md``: every Voucherify endpoint and whether we serve it.

Sources:
- the Voucherify OpenAPI spec: ``--spec``, ``$OPENVOUCHER_SPEC`` or
  ``../shared/voucherify/spec/OpenAPI.json``, and the Loyalty v2 spec beside it
  (``$OPENVOUCHER_LOYALTY_V2_SPEC``), whose operations get sections "Loyalty v2 — …";
- the routes this app serves (``openvoucher.api.routes.all_routes`` plus health and metrics);
- hand-written notes in ``docs/compat/notes.toml``.

A spec endpoint we serve is ``supported``, or ``differs`` when notes.toml explains how; one we do
not serve is ``missing``. Routes outside the spec are listed as extensions. Run it again whenever
routes or notes change: ``python scripts/compat_table.py``. ``tests/api/test_compat_table.py``
fails when the table and the live routes disagree.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openvoucher.api.openapi import APP_ROUTES

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT.parent / "shared" / "voucherify" / "spec" / "OpenAPI.json"
DEFAULT_V2_SPEC = ROOT.parent / "shared" / "voucherify" / "spec" / "LoyaltyV2.json"
NOTES = ROOT / "docs" / "compat" / "notes.toml"
TABLE = ROOT / "docs" / "compat" / "endpoints.md"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SERVED = ("supported", "differs", "extension")
NOT_SERVED = ("missing", "planned")


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    method: str
    path: str
    status: str
    section: str = ""
    operation: str = ""
    deprecated: bool = False
    note: str = ""


def shape(path: str) -> str:
    """The path with parameter names erased, so ``{code}`` and ``{voucherCode}`` match."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def key(method: str, path: str) -> tuple[str, str]:
    """How rows and routes are matched: method and parameter-blind path."""
    return method.upper(), shape(path)


def spec_path() -> Path:
    """Where the Voucherify spec is read from."""
    return Path(os.environ.get("OPENVOUCHER_SPEC") or DEFAULT_SPEC)


def v2_spec_path() -> Path:
    """Where the Loyalty v2 spec is read from (its operations get sections of their own)."""
    return Path(os.environ.get("OPENVOUCHER_LOYALTY_V2_SPEC") or DEFAULT_V2_SPEC)


def spec_endpoints(spec: dict[str, Any], section_prefix: str = "") -> list[Row]:
    """Every operation of the spec (first spelling wins when two paths differ only in names)."""
    rows: dict[tuple[str, str], Row] = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method.upper() not in METHODS or key(method, path) in rows:
                continue
            rows[key(method, path)] = Row(
                method=method.upper(),
                path=path,
                status="missing",
                section=section_prefix + (operation.get("tags") or ["Other"])[0],
                operation=operation.get("operationId", ""),
                deprecated=bool(operation.get("deprecated")),
            )
    return list(rows.values())


def served_routes() -> dict[tuple[str, str], tuple[str, str]]:
    """What the app serves now: key → (method, path as the app spells it, first docstring line)."""
    sys.path.insert(0, str(ROOT / "src"))
    from openvoucher.api.routes import all_routes

    served: dict[tuple[str, str], tuple[str, str]] = {
        key(m, p): (p, "Liveness check, no keys needed.") for m, p in APP_ROUTES
    }
    for route in all_routes():
        doc = (route.handler.__doc__ or "").strip().splitlines()
        served[key(route.method, route.path)] = (route.path, doc[0] if doc else "")
    return served


def load_notes(path: Path = NOTES) -> dict[str, Any]:
    """``notes.toml``: ``[notes]`` per spec endpoint, ``[extensions]``, ``[groups]``."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _split_key(text: str) -> tuple[str, str]:
    method, _, path = text.partition(" ")
    if method.upper() not in METHODS or not path.startswith("/"):
        raise ValueError(f"notes.toml: {text!r} is not 'METHOD /path'")
    return key(method, path)


def classify(spec_rows: list[Row], served: dict[Any, Any], notes: dict[str, Any]) -> list[Row]:
    """Spec rows with their status and note."""
    endpoint_notes = {_split_key(k): v for k, v in notes.get("notes", {}).items()}
    unknown = set(endpoint_notes) - {key(r.method, r.path) for r in spec_rows}
    if unknown:
        raise ValueError(f"notes.toml [notes] name endpoints not in the spec: {sorted(unknown)}")
    result = []
    for row in spec_rows:
        k = key(row.method, row.path)
        note = endpoint_notes.get(k, "")
        status = ("differs" if note else "supported") if k in served else "missing"
        result.append(Row(**{**row.__dict__, "status": status, "note": note}))
    return result


def _group(path: str, groups: dict[str, str]) -> str:
    matches = [prefix for prefix in groups if path == prefix or path.startswith(prefix + "/")]
    return groups[max(matches, key=len)] if matches else "Other extensions"


def extensions(spec_rows: list[Row], served: dict[Any, Any], notes: dict[str, Any]) -> list[Row]:
    """Served routes outside the spec, and announced ones (``planned = true``) not served yet."""
    in_spec = {key(r.method, r.path) for r in spec_rows}
    described = {
        _split_key(k): (k.partition(" ")[2], v) for k, v in notes.get("extensions", {}).items()
    }
    groups = notes.get("groups", {})
    rows = []
    for k in sorted(set(served) | set(described), key=lambda k: (k[1], METHODS.index(k[0]))):
        if k in in_spec:
            continue
        path, doc = served.get(k, ("", ""))
        note_path, entry = described.get(k, ("", {}))
        if k not in served and not entry.get("planned"):
            raise ValueError(f"notes.toml [extensions] {k} is not served and not planned")
        status = "extension" if k in served else "planned"
        path = path or note_path
        note = entry.get("note") or doc
        rows.append(Row(k[0], path, status, section=_group(path, groups), note=note))
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(rows: Iterable[Row], *, with_operation: bool) -> list[str]:
    if with_operation:
        lines = ["| method | path | operationId | status | deprecated upstream | notes |"]
        lines.append("| --- | --- | --- | --- | --- | --- |")
    else:
        lines = ["| method | path | status | notes |", "| --- | --- | --- | --- |"]
    for r in rows:
        cells = [r.method, f"`{r.path}`"]
        if with_operation:
            cells += [r.operation, r.status, "yes" if r.deprecated else "", _cell(r.note)]
        else:
            cells += [r.status, _cell(r.note)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _sections(rows: list[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.section, []).append(row)
    return grouped


HEADER = """# Voucherify API compatibility

Generated by `python scripts/compat_table.py` from the Voucherify OpenAPI spec, the routes this
server serves and the notes in `notes.toml`. Do not edit by hand: edit `notes.toml` (or add
routes) and run the script again. `tests/api/test_compat_table.py` fails when this table and the
served routes disagree.

- **supported**: served with the spec's request and response shapes.
- **differs**: served, with the difference in the notes column.
- **missing**: not served yet (404 `not_found`).
- **extension** / **planned**: our own endpoints, not part of Voucherify's API.
"""


def _summary(rows: list[Row]) -> str:
    counts = {s: sum(r.status == s for r in rows) for s in ("supported", "differs", "missing")}
    return f"{len(rows)} (" + ", ".join(f"{n} {s}" for s, n in counts.items()) + ")"


def render(spec_rows: list[Row], extra: list[Row]) -> str:
    """The whole Markdown document."""
    v1 = [r for r in spec_rows if not r.section.startswith("Loyalty v2")]
    v2 = [r for r in spec_rows if r.section.startswith("Loyalty v2")]
    lines = [HEADER, f"Voucherify endpoints: {_summary(v1)}.", ""]
    if v2:
        lines += [f"Loyalty v2 operations (`LoyaltyV2.json`): {_summary(v2)}.", ""]
    for section, rows in _sections(spec_rows).items():
        lines += [f"## {section}", "", *_table(rows, with_operation=True), ""]
    lines += ["# Extensions (not in Voucherify's API)", ""]
    for section, rows in sorted(_sections(extra).items()):
        lines += [f"## {section}", "", *_table(rows, with_operation=False), ""]
    return "\n".join(lines).rstrip() + "\n"


def build(spec_file: Path | None = None, notes_file: Path = NOTES) -> str:
    """The table as it should read now."""
    spec = json.loads((spec_file or spec_path()).read_text(encoding="utf-8"))
    notes = load_notes(notes_file)
    served = served_routes()
    rows = spec_endpoints(spec)
    v2_file = v2_spec_path()
    if v2_file.exists():
        v2_spec = json.loads(v2_file.read_text(encoding="utf-8"))
        rows += spec_endpoints(v2_spec, "Loyalty v2 — ")
    return render(classify(rows, served, notes), extensions(rows, served, notes))


def parse_table(text: str) -> list[Row]:
    """The rows of a rendered table (what the test compares with the live routes)."""
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) < 4 or cells[0] not in METHODS:
            continue
        status = cells[3] if len(cells) == 6 else cells[2]
        rows.append(Row(cells[0], cells[1].strip("`"), status))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` verify) ``docs/compat/endpoints.md``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=None, help="Path to Voucherify's OpenAPI.json")
    parser.add_argument("--check", action="store_true", help="Fail if the table is out of date")
    args = parser.parse_args(argv)
    text = build(args.spec)
    if args.check:
        current = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
        if current != text:
            print(f"{TABLE} is out of date: run python scripts/compat_table.py", file=sys.stderr)
            return 1
        return 0
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
