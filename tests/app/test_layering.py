"""The core stays headless: importing every ``app`` module pulls in neither PySide6 nor ``ui``."""

import re
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


# The desk only presents: it asks the core what a user may do (``app.security.abilities``,
# ``records.may_write``) and reads through core functions, so it names no permission, builds no
# SQL and holds no ORM model of its own.
UI_MUST_NOT = {
    "a permission": re.compile(r"\bPerm\b"),
    "a permission check": re.compile(r"\.can\("),
    "SQLAlchemy": re.compile(r"^\s*(from|import) sqlalchemy\b", re.M),
    "an ORM model": re.compile(r"^\s*from app\.models\b", re.M),
    "SQL": re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\s+\S+.*\b(FROM|INTO|SET|WHERE)\b"),
}


def ui_offences(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(root.parent)}: {what}" for what, pattern in UI_MUST_NOT.items()
                  if pattern.search(text)]
    return found


def test_the_desk_asks_the_core(tmp_path):
    assert ui_offences(ROOT / "ui") == []
    leaky = tmp_path / "ui"  # the check itself finds each kind of leak
    leaky.mkdir()
    (leaky / "page.py").write_text(
        "from sqlalchemy import select\nfrom app.models import Unit\n"
        "if ctx.can(Perm.WRITE):\n    conn.execute('SELECT name FROM units WHERE id = 1')\n",
        encoding="utf-8")
    assert len(ui_offences(leaky)) == len(UI_MUST_NOT)
