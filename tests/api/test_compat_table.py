"""``docs/compat/endpoints.md`` agrees with the routes the app serves right now."""

from __future__ import annotations

import json

import pytest

from tests.support.scripts import load_script

compat = load_script("compat_table")
HINT = "docs/compat/endpoints.md is stale: run `python scripts/compat_table.py`"


def _table_rows() -> dict[tuple[str, str], str]:
    rows = compat.parse_table(compat.TABLE.read_text(encoding="utf-8"))
    return {compat.key(r.method, r.path): r.status for r in rows}


def _spec() -> dict[str, object]:
    path = compat.spec_path()
    if not path.exists():
        pytest.skip(f"the Voucherify spec is not at {path} (set OPENVOUCHER_SPEC)")
    loaded: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_every_served_route_is_listed_as_served() -> None:
    """A route the app serves never shows as missing, planned or absent."""
    table = _table_rows()
    wrong = {
        f"{m} {p}: {table.get((m, p), 'absent')}"
        for (m, p) in compat.served_routes()
        if table.get((m, p)) not in compat.SERVED
    }
    assert not wrong, f"{HINT}; served but not listed as served: {sorted(wrong)}"


def test_rows_listed_as_served_are_served() -> None:
    """A row says supported, differs or extension only if the app serves that route."""
    served = compat.served_routes()
    table = _table_rows()
    assert set(table.values()) <= set(compat.SERVED) | set(compat.NOT_SERVED)
    claimed = {k for k, status in table.items() if status in compat.SERVED}
    wrong = sorted(claimed - set(served))
    assert not wrong, f"{HINT}; listed as served but not served: {wrong}"


def test_table_lists_every_spec_endpoint() -> None:
    """Every method and path of the Voucherify spec has a row."""
    expected = {compat.key(r.method, r.path) for r in compat.spec_endpoints(_spec())}
    missing = expected - set(_table_rows())
    assert len(expected) > 200
    assert not missing, f"{HINT}; spec endpoints without a row: {sorted(missing)}"


def test_table_is_exactly_what_the_generator_writes() -> None:
    """Re-running the generator changes nothing (notes and routes are reflected)."""
    _spec()
    assert compat.build() == compat.TABLE.read_text(encoding="utf-8"), HINT


def test_categories_and_assets_are_listed() -> None:
    """Known rows: categories supported or differing, assets and health as extensions."""
    table = _table_rows()
    assert table[("GET", "/v1/categories/{}")] == "supported"
    assert table[("POST", "/v1/categories")] == "differs"
    assert table[("GET", "/v1/assets/qr/{}.png")] == "extension"
    assert table[("GET", "/health")] == "extension"


def test_notes_on_unknown_endpoints_are_rejected() -> None:
    """A note naming an endpoint outside the spec (a typo) stops the generator."""
    rows = [compat.Row("GET", "/v1/things", "missing")]
    with pytest.raises(ValueError, match="not in the spec"):
        compat.classify(rows, {}, {"notes": {"GET /v1/thing": "x"}})
    with pytest.raises(ValueError, match="not served and not planned"):
        compat.extensions(rows, {}, {"extensions": {"GET /v1/ours": {"note": "x"}}})
    planned = compat.extensions(
        rows, {}, {"extensions": {"GET /v1/ours": {"note": "soon", "planned": True}}}
    )
    assert [(r.path, r.status, r.note) for r in planned] == [("/v1/ours", "planned", "soon")]
