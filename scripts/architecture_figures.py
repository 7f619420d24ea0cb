"""Print the architecture figures of issue 11 for a source tree (default: src/openvoucher).

Usage: python scripts/architecture_figures.py [SRC_DIR]

- widest folder: the most modules (``*.py`` but ``__init__.py``) directly in one folder;
- import cycles between packages: strongly connected groups of the top-level packages of
  ``openvoucher`` (every import counts, also those inside functions);
- import-time registrations outside ``bootstrap.py``: module-level statements that call into
  another module to register something (``x.register(...)``, ``x.HOOKS.append(...)``), also
  inside module-level ``for``/``if`` blocks;
- ``dict[str, Any]`` per 1000 lines of non-edge code (everything but ``api/``, ``cli/``,
  presenters and migrations);
- modules over 400 lines; functions over 70 lines (both but the generated migrations).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

EDGE_PARTS = {"api", "cli", "presenters", "migrations"}


def modules(src: Path) -> dict[str, Path]:
    """Dotted module name → file, for every module under ``src``."""
    found = {}
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(tree: ast.Module, name: str, is_package: bool) -> set[str]:
    """Every module name ``tree`` imports (absolute names, relative ones resolved)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def top_package(module: str) -> str | None:
    """``openvoucher.<top>`` of a module of the project (None for the root modules)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "openvoucher" else None


def package_cycles(found: dict[str, Path], trees: dict[str, ast.Module]) -> list[list[str]]:
    """Strongly connected groups (more than one package) of the top-level package graph."""
    edges: dict[str, set[str]] = defaultdict(set)
    for name, tree in trees.items():
        source = top_package(name)
        is_package = found[name].name == "__init__.py"
        for target in imported(tree, name, is_package):
            other = (
                top_package(target)
                if target in found or target.rsplit(".", 1)[0] in found
                else None
            )
            if source and other and other != source:
                edges[source].add(other)
    return [group for group in strongly_connected(edges) if len(group) > 1]


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            groups.append(sorted(group))

    for node in sorted(set(edges) | {n for targets in edges.values() for n in targets}):
        if node not in index:
            visit(node)
    return groups


def registrations(tree: ast.Module) -> list[int]:
    """Lines of module-level calls that register into another module's table."""
    lines = []

    def scan(body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.For, ast.If)):
                if isinstance(stmt, ast.If) and "__main__" in ast.unparse(stmt.test):
                    continue
                scan(stmt.body)
                scan(stmt.orelse)
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                func = stmt.value.func
                if isinstance(func, ast.Attribute) and isinstance(
                    func.value, (ast.Name, ast.Attribute)
                ):
                    lines.append(stmt.lineno)

    scan(tree.body)
    return lines


def generated(module: str) -> bool:
    """Generated code (the Alembic revisions), left out of the size figures."""
    return ".migrations." in module


def long_functions(tree: ast.Module, limit: int = 70) -> int:
    """Functions (and methods) longer than ``limit`` lines."""
    functions = [
        node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    return sum((node.end_lineno or node.lineno) - node.lineno + 1 > limit for node in functions)


def main(argv: list[str]) -> int:
    """Print the figures."""
    src = Path(argv[1]) if len(argv) > 1 else Path("src/openvoucher")
    found = modules(src)
    trees = {name: ast.parse(path.read_text()) for name, path in found.items()}
    folders: dict[Path, int] = defaultdict(int)
    for path in found.values():
        if path.name != "__init__.py":
            folders[path.parent] += 1
    widest = max(folders.items(), key=lambda item: item[1])
    cycles = package_cycles(found, trees)
    regs = {
        name: registrations(tree)
        for name, tree in trees.items()
        if not name.endswith(".bootstrap") and registrations(tree)
    }
    non_edge_lines = dict_any = 0
    for path in found.values():
        if EDGE_PARTS.intersection(path.relative_to(src).parts[:-1]):
            continue
        text = path.read_text()
        non_edge_lines += len(text.splitlines())
        dict_any += text.count("dict[str, Any]")
    sizes = {name: len(path.read_text().splitlines()) for name, path in found.items()}
    big = sorted((size, n) for n, size in sizes.items() if size > 400 and not generated(n))
    print(f"widest folder: {widest[1]} modules ({widest[0].relative_to(src.parent)})")
    print(f"import cycles between packages: {len(cycles)} {cycles}")
    count = sum(map(len, regs.values()))
    print(f"import-time registrations outside bootstrap.py: {count} {sorted(regs)}")
    print(
        f"dict[str, Any] in non-edge code: {dict_any} in {non_edge_lines} lines = "
        f"{1000 * dict_any / max(non_edge_lines, 1):.1f} per 1000 lines"
    )
    print(f"modules over 400 lines: {len(big)} {[f'{n} ({lines})' for lines, n in big]}")
    long = sum(long_functions(tree) for name, tree in trees.items() if not generated(name))
    print(f"functions over 70 lines: {long}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
