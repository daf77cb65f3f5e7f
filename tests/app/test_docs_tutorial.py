"""The tutorial docs/adding-an-area.md shows real code: every code block that starts with a file's
path comment is still, line for line, in that file (so the tutorial cannot go stale)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "adding-an-area.md"


def _blocks():
    text = TUTORIAL.read_text(encoding="utf-8")
    for block in re.findall(r"```python\n(.*?)```", text, re.S):
        first, _, body = block.partition("\n")
        if first.startswith("# ") and "/" in first:
            yield first[2:].strip(), body


def test_every_code_block_is_in_its_file():
    blocks = list(_blocks())
    assert len(blocks) >= 5
    for path, body in blocks:
        source = (ROOT / path).read_text(encoding="utf-8")
        lines = [ln for ln in body.splitlines() if ln.strip()]
        start = source.splitlines().index(lines[0]) if lines[0] in source.splitlines() else -1
        assert start >= 0, f"{path}: {lines[0]!r} is no longer in the file"
        got = [ln for ln in source.splitlines()[start:] if ln.strip()][:len(lines)]
        assert got == lines, f"{path} changed: update docs/adding-an-area.md"


def test_every_path_and_module_it_names_exists():
    text = TUTORIAL.read_text(encoding="utf-8")
    for path in re.findall(r"`((?:app|ui|tests|docs)/[\w/.-]+)`", text):
        assert (ROOT / path).exists(), path
