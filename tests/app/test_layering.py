"""The core stays headless: importing every ``app`` module pulls in neither PySide6 nor ``ui``."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import importlib, pkgutil, sys
import app
for mod in pkgutil.walk_packages(app.__path__, "app."):
    if mod.name.startswith("app.db.migrations") or mod.name == "app.__main__":
        continue
    importlib.import_module(mod.name)
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "ui"))
print(len([m for m in sys.modules if m.startswith("app.")]))
sys.exit("core imported: " + ", ".join(bad) if bad else 0)
"""


def test_app_never_imports_qt_or_ui():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True,
                            encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 30  # every module was really imported


def test_no_qt_import_statement_in_app_sources():
    offenders = [str(p) for p in (ROOT / "app").rglob("*.py")
                 if any(line.lstrip().startswith(("import PySide6", "from PySide6", "import ui", "from ui"))
                        for line in p.read_text(encoding="utf-8").splitlines())]
    assert offenders == []
