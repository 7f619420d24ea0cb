"""``docs/compat/settings.md`` covers every request field, and refused fields are refused."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import msgspec
import pytest

from openvoucher.api import routes, schemas
from openvoucher.api.schemas import refused
from openvoucher.kernel.errors import VoucherifyError

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs/compat/settings.md"
STATUSES = {"effect", "data", "input", "refused", "issue 12", "issue 13", "gap"}
REQUIRED = {"CampaignCreate": {"name": "x"}, "LoyaltyCreate": {"name": "x"}}
"""Fields a body needs besides the refused one to decode at all."""


def _rows() -> list[tuple[str, str, str, str, str]]:
    found = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and "." in cells[0] and cells[0] != "---":
            found.append((cells[0], cells[1], cells[2], cells[3], cells[4]))
    return found


def _modules() -> list[tuple[str, ModuleType]]:
    """Each module declaring request bodies, with its name in the table: the schema modules
    (``vouchers``) and the route modules that declare their own (``routes.platform.management``)."""
    found = []
    for info in pkgutil.iter_modules(schemas.__path__):
        found.append((info.name, importlib.import_module(f"{schemas.__name__}.{info.name}")))
    prefix = routes.__name__ + "."
    for info in pkgutil.walk_packages(routes.__path__, prefix):
        name = "routes." + info.name.removeprefix(prefix)
        found.append((name, importlib.import_module(info.name)))
    return found


def _structs() -> dict[str, type[msgspec.Struct]]:
    """``module.Struct`` → every request body Struct declared there."""
    found = {}
    for label, module in _modules():
        for name, kind in vars(module).items():
            own = getattr(kind, "__module__", None) == module.__name__
            if own and inspect.isclass(kind) and issubclass(kind, msgspec.Struct):
                found[f"{label}.{name}"] = kind
    return found


def _own_fields() -> dict[str, set[str]]:
    """``module.Struct`` → the fields it declares (inherited ones belong to the parent)."""
    found: dict[str, set[str]] = {}
    for key, kind in _structs().items():
        inherited = {
            f
            for base in kind.__mro__[1:]
            if base is not msgspec.Struct and issubclass(base, msgspec.Struct)
            for f in base.__struct_fields__
        }
        found[key] = set(kind.__struct_fields__) - inherited
    return found


def test_every_request_field_has_a_row() -> None:
    """Each field of each request body is covered by its own row or its body's ``*`` row."""
    rows = _rows()
    covered = {(body, field) for body, field, *_ in rows}
    starred = {body for body, field, *_ in rows if field == "*"}
    fields = _own_fields()
    missing = sorted(
        f"{body}.{field}"
        for body, names in fields.items()
        for field in names
        if (body, field) not in covered and body not in starred
    )
    assert not missing, f"docs/compat/settings.md lacks: {missing}"
    stale = sorted(
        f"{body}.{field}"
        for body, field, *_ in rows
        if body not in fields or (field != "*" and field not in fields[body])
    )
    assert not stale, f"docs/compat/settings.md lists fields no body has: {stale}"


def test_rows_name_real_modules_and_tests() -> None:
    """Statuses are known; modules and tests exist; a field's own row names a module using it."""
    for body, field, status, module, test in _rows():
        assert status in STATUSES, (body, field, status)
        source = ROOT / "src/openvoucher" / module
        assert source.is_file(), (body, field, module)
        if test != "—":
            assert (ROOT / test).is_file(), (body, field, test)
        elif not status.startswith("issue") and status != "gap":
            pytest.fail(f"{body}.{field}: only rows left to another issue or gaps lack a test")
        text = source.read_text(encoding="utf-8")
        assert field == "*" or re.search(rf"\b{field}\b", text), f"{body}.{field}: {module}"


def test_refused_rows_are_the_refusals() -> None:
    """Every ``not_supported`` refusal in the code is a ``refused`` row (and the reverse, for
    the rows that name ``api/schemas/refused.py``)."""
    listed = {
        (body.rsplit(".", 1)[1], field)
        for body, field, status, module, _ in _rows()
        if status == "refused" and module == "api/schemas/refused.py"
    }
    assert listed == {(r.struct, r.field) for r in refused.REFUSALS}


@pytest.mark.parametrize("refusal", refused.REFUSALS, ids=lambda r: f"{r.struct}.{r.field}")
def test_each_refusal_is_400_not_supported(refusal: refused.Refusal) -> None:
    """Decoding a body that sets a refused field raises ``not_supported`` naming the field."""
    kind = _struct(refusal.struct)
    body: dict[str, Any] = {**REQUIRED.get(refusal.struct, {}), refusal.field: refusal.sample}
    with pytest.raises(VoucherifyError) as raised:
        msgspec.convert(body, type=kind)
    assert raised.value.key == "not_supported"
    assert raised.value.status == 400
    assert refusal.field in raised.value.details


def _struct(name: str) -> type[msgspec.Struct]:
    (kind,) = [k for key, k in _structs().items() if key.rsplit(".", 1)[1] == name]
    return kind


def test_refused_over_http_stores_nothing(http: httpx.Client) -> None:
    """A loyalty programme with ``access_settings`` or a campaign with
    ``use_voucher_metadata_schema: false`` is a 400 naming the field; no campaign is made."""
    card = {"type": "LOYALTY_CARD", "loyalty_card": {"points": 0}}
    loyalty = http.post(
        "/v1/loyalties",
        json={"name": "Club", "voucher": card, "access_settings": {"assign": {"areas_ids": ["a"]}}},
    )
    assert loyalty.status_code == 400
    assert loyalty.json()["key"] == "not_supported"
    assert "access_settings" in loyalty.json()["details"]
    assert loyalty.json()["request_id"].startswith("v-")
    campaign = http.post(
        "/v1/campaigns",
        json={"name": "Plain", "voucher": card, "use_voucher_metadata_schema": False},
    )
    assert campaign.status_code == 400
    assert "use_voucher_metadata_schema" in campaign.json()["details"]
    assert http.get("/v1/campaigns").json()["total"] == 0


def test_unset_metadata_fields_removes_keys(http: httpx.Client) -> None:
    """``unset_metadata_fields`` on a campaign update drops those metadata keys."""
    body = {"name": "Meta", "metadata": {"a": 1, "b": 2}, "voucher": {"gift": {"amount": 1}}}
    created = http.post("/v1/campaigns", json=body).json()
    updated = http.put(f"/v1/campaigns/{created['id']}", json={"unset_metadata_fields": ["a"]})
    assert updated.status_code == 200, updated.text
    assert updated.json()["metadata"] == {"b": 2}
