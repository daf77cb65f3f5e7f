"""An area added only by its declaration (``tests/kit_example``) gets its page on the desk: the
check runs in a process of its own (``kit_example_session.py``), because the area must be added
before ``app.areas`` is first imported and its model registers a table for the whole process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.areas import EXTRA_ENV

ROOT = Path(__file__).resolve().parents[2]


def test_an_area_added_by_declaration_is_on_the_desk():
    env = {**os.environ, EXTRA_ENV: "tests.kit_example.area:AREAS"}
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                             "tests/ui/kit_example_session.py"], cwd=ROOT, env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
