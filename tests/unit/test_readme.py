"""The README's Quick start is what CI runs and what ``scripts/check_fresh_clone.sh`` runs."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.support.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_test_command_is_what_ci_runs() -> None:
    """``.ci/run`` runs the README's test block word for word, and the fresh-clone check
    runs the same blocks."""
    blocks = load_script("readme_commands").quick_start_blocks(
        (ROOT / "README.md").read_text(encoding="utf-8")
    )
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert blocks["tests"] in ci
    script = (ROOT / "scripts/check_fresh_clone.sh").read_text(encoding="utf-8")
    for name in ("venv", "server", "tests"):
        assert f"block {name}" in script


def test_the_readme_makes_a_virtual_environment_that_git_ignores() -> None:
    """The first block makes and activates ``.venv``; Python 3.11+ is said and required."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = load_script("readme_commands").quick_start_blocks(readme)
    assert blocks["venv"].startswith("python3 -m venv .venv")
    assert "activate" in blocks["venv"]
    assert "Python 3.11 or newer" in readme
    assert ".venv/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11"
