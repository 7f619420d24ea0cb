"""docs/compat/null-policy.md lists exactly the fields of each update body it covers."""

from __future__ import annotations

import re
from pathlib import Path

from openvoucher.api.null_policy import UPDATE_BODIES, fields_of

DOC = Path(__file__).resolve().parents[2] / "docs" / "compat" / "null-policy.md"


def documented() -> dict[str, list[str]]:
    """The fields of each ``## PUT …`` section's table, in order."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in DOC.read_text().splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif current is not None and (row := re.match(r"\| (\w+) \| kept", line)):
            current.append(row[1])
    return sections


def test_null_policy_doc_matches_the_update_bodies() -> None:
    """Every update body is documented, field by field, with null = kept."""
    assert documented() == {route: fields_of(body) for route, body in UPDATE_BODIES.items()}
