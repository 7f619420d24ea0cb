"""The architecture's rules, checked on the source: import contracts and the issue 11 figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.scripts import load_script

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src/openvoucher"


def test_import_contracts_hold() -> None:
    """``lint-imports`` keeps every contract of pyproject.toml (layers, adapters, purity)."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_module_registers_anything_when_imported() -> None:
    """Only bootstrap.py wires handlers: no module-level ``x.register(...)`` or hook appends."""
    figures = load_script("architecture_figures")
    found = figures.modules(SRC)
    registering = {
        name: lines
        for name, path in found.items()
        if name != "openvoucher.bootstrap"
        and (lines := figures.registrations(figures.ast.parse(path.read_text())))
    }
    assert registering == {}


def test_no_folder_holds_more_than_25_modules() -> None:
    """Every folder of the package holds at most 25 modules."""
    counts: dict[Path, int] = {}
    for path in SRC.rglob("*.py"):
        if path.name != "__init__.py":
            counts[path.parent] = counts.get(path.parent, 0) + 1
    assert {p: n for p, n in counts.items() if n > 25} == {}


def test_no_module_is_over_400_lines() -> None:
    """Every hand-written module stays under 400 lines (the generated migrations aside)."""
    figures = load_script("architecture_figures")
    sizes = {
        name: len(path.read_text().splitlines()) for name, path in figures.modules(SRC).items()
    }
    assert {n: s for n, s in sizes.items() if s > 400 and not figures.generated(n)} == {}
