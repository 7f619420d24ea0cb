"""The shell commands of the README's Quick start, in order: the virtual environment, the
server, the tests (one fenced ``bash`` block each). ``scripts/check_fresh_clone.sh`` runs
them; ``tests/test_readme.py`` checks they are what ``.ci/run`` runs.

    python scripts/readme_commands.py venv|server|tests [README]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
NAMES = ("venv", "server", "tests")


def quick_start_blocks(text: str) -> dict[str, str]:
    """The Quick start section's bash blocks, by name."""
    start = text.index("## Quick start")
    end = text.index("\n## ", start + 1)
    blocks = re.findall(r"```bash\n(.*?)```", text[start:end], re.S)
    if len(blocks) != len(NAMES):
        raise ValueError(f"Quick start should have {len(NAMES)} bash blocks, has {len(blocks)}")
    return {name: block.strip() for name, block in zip(NAMES, blocks, strict=True)}


def main() -> None:
    """Print one block."""
    readme = Path(sys.argv[2]) if len(sys.argv) > 2 else README
    print(quick_start_blocks(readme.read_text(encoding="utf-8"))[sys.argv[1]])


if __name__ == "__main__":
    main()
