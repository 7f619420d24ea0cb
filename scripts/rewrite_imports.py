#!/usr/bin/env python3
"""Rewrite references to moved openvoucher modules, per restructure-map.tsv (issue 11).

Usage:  python /work/rewrite_imports.py [--map MAP.tsv] [--no-ruff] [--dry-run] PATH...

PATHs are files or folders (folders are walked for .py .md .toml .txt .cfg .ini .sh .yml .yaml
.rst .json files; .venv, .git and __pycache__ are skipped). The map has one line per moved module:
``old.dotted.module<TAB>new.dotted.module`` (default: restructure-map.tsv beside this script).

What is rewritten:
- ``from openvoucher.services import a, b as c`` (a package import of moved modules): split into
  one ``from <new package> import <leaf>`` per target package, keeping every local name
  (``as <old name>`` is added when the leaf was renamed);
- any dotted reference ``openvoucher.old.module[.attr]`` anywhere (``from X import``, ``import X``,
  strings such as mock/patch targets, comments, docs): longest moved prefix wins;
- file paths ``[src/]openvoucher/services/foo.py`` in text;
- short forms in prose and docstrings: ``services.foo``, ``domain.foo``, ``presenters.foo``,
  ``repositories.foo`` (only when ``foo`` is a moved module of that package).
Changed Python files are then import-sorted and formatted with ruff (``python -m ruff``) unless
``--no-ruff``. The script is idempotent: running it twice changes nothing more.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from pathlib import Path

TEXT_SUFFIXES = {
    ".py",
    ".md",
    ".toml",
    ".txt",
    ".cfg",
    ".ini",
    ".sh",
    ".yml",
    ".yaml",
    ".rst",
    ".json",
}
SKIP_DIRS = {".venv", ".git", "__pycache__", "node_modules", ".mypy_cache", ".ruff_cache"}
SHORT_PACKAGES = {
    "services": "openvoucher.services",
    "domain": "openvoucher.domain",
    "presenters": "openvoucher.presenters",
    "repositories": "openvoucher.adapters.db.repositories",
}


def load_map(path: Path) -> dict[str, str]:
    """The old → new dotted module names."""
    mapping: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            old, new = line.split("\t")
            mapping[old.strip()] = new.strip()
    return mapping


class Rewriter:
    """Rewrites one text according to the map."""

    def __init__(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping
        self.old_packages = {old.rsplit(".", 1)[0] for old in mapping}
        self.dotted = re.compile(r"\bopenvoucher(?:\.[A-Za-z_]\w*)+")
        self.path = re.compile(r"\bopenvoucher((?:/[A-Za-z_]\w*)+)\.py\b")
        self.short = re.compile(
            r"(?<![\w.])(services|domain|presenters|repositories)\.([A-Za-z_]\w*)\b"
        )

    # --- dotted references -------------------------------------------------------------
    def _moved(self, dotted: str) -> str | None:
        """``dotted`` with its longest moved module prefix replaced, or None."""
        parts = dotted.split(".")
        for n in range(len(parts), 1, -1):
            head = ".".join(parts[:n])
            if head in self.mapping:
                return ".".join([self.mapping[head], *parts[n:]])
        return None

    def _dotted_sub(self, match: re.Match[str]) -> str:
        return self._moved(match.group(0)) or match.group(0)

    def _path_sub(self, match: re.Match[str]) -> str:
        dotted = "openvoucher" + match.group(1).replace("/", ".")
        new = self.mapping.get(dotted)
        return new.replace(".", "/") + ".py" if new else match.group(0)

    def _short_sub(self, match: re.Match[str]) -> str:
        old = f"{SHORT_PACKAGES[match.group(1)]}.{match.group(2)}"
        new = self.mapping.get(old)
        return new.removeprefix("openvoucher.") if new else match.group(0)

    def text(self, source: str) -> str:
        """Dotted names, file paths and short forms rewritten."""
        source = self.dotted.sub(self._dotted_sub, source)
        source = self.path.sub(self._path_sub, source)
        return self.short.sub(self._short_sub, source)

    # --- package imports of moved modules ------------------------------------------------
    def _split_import(self, node: ast.ImportFrom, indent: str) -> list[str] | None:
        """``from <old package> import a, b`` as one line per new package, or None."""
        if node.level or node.module not in self.old_packages:
            return None
        groups: dict[str, list[str]] = {}
        changed = False
        for alias in node.names:
            new = self.mapping.get(f"{node.module}.{alias.name}")
            if new is None:
                package, leaf = node.module, alias.name
            else:
                package, leaf = new.rsplit(".", 1)
                changed = True
            local = alias.asname or alias.name
            groups.setdefault(package, []).append(leaf if local == leaf else f"{leaf} as {local}")
        if not changed:
            return None
        return [
            f"{indent}from {package} import {', '.join(names)}" for package, names in groups.items()
        ]

    def python(self, source: str) -> str:
        """Package imports split, then every dotted reference rewritten."""
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return self.text(source)
        lines = source.splitlines(keepends=True)
        edits = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.end_lineno is not None:
                start = lines[node.lineno - 1]
                indent = start[: len(start) - len(start.lstrip())]
                new = self._split_import(node, indent)
                if new is not None:
                    comment = re.search(r"\s#.*$", start.rstrip("\r\n"))
                    suffix = "  " + comment.group(0).strip() if comment else ""
                    edits.append((node.lineno, node.end_lineno, [n + suffix for n in new]))
        for first, last, new in sorted(edits, reverse=True):
            tail = lines[last - 1][len(lines[last - 1].rstrip("\r\n")) :] or "\n"
            lines[first - 1 : last] = [line + tail for line in new]
        return self.text("".join(lines))


def files_under(paths: list[str]) -> list[Path]:
    """Every text file under the given files and folders."""
    found: list[Path] = []
    for given in map(Path, paths):
        if given.is_file():
            found.append(given)
            continue
        for path in sorted(given.rglob("*")):
            wanted = path.is_file() and path.suffix in TEXT_SUFFIXES
            if wanted and not SKIP_DIRS.intersection(path.parts):
                found.append(path)
    return found


def main(argv: list[str] | None = None) -> int:
    """Rewrite the given files and folders in place; print the changed ones."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--map", default=str(Path(__file__).with_name("restructure-map.tsv")))
    parser.add_argument("--no-ruff", action="store_true", help="do not run ruff on changed files")
    parser.add_argument("--dry-run", action="store_true", help="only list what would change")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    rewriter = Rewriter(load_map(Path(args.map)))
    changed: list[Path] = []
    for path in files_under(args.paths):
        try:
            source = path.read_text()
        except UnicodeDecodeError:
            continue
        new = rewriter.python(source) if path.suffix == ".py" else rewriter.text(source)
        if new != source:
            changed.append(path)
            print(path)
            if not args.dry_run:
                path.write_text(new)
    python_files = [str(p) for p in changed if p.suffix == ".py"]
    if python_files and not args.no_ruff and not args.dry_run:
        ruff = [sys.executable, "-m", "ruff"]
        subprocess.run([*ruff, "check", "-q", "--select", "I", "--fix", *python_files], check=False)
        subprocess.run([*ruff, "format", "-q", *python_files], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
