"""Start-up stays light: the modules on the path to a login window and the everyday CLI commands do
not import the heavy libraries (reportlab, openpyxl, Pillow, cryptography, pypinyin); they load on first use.
Checked in fresh interpreters, so nothing imported by other tests hides a regression."""

import subprocess
import sys

from tests.conftest import PASSWORDS
from tests.crash_harness import ROOT, child_env, cli_argv

# reportlab's light top package (units, page sizes) may load with the print command's options; its
# PDF writer, fonts and graphics may not.
HEAVY = ("reportlab.pdfgen", "reportlab.pdfbase", "reportlab.graphics", "openpyxl", "lxml", "PIL",
         "cryptography", "pypinyin")
START_MODULES = ("app.cli.main", "app.db.engine", "app.models", "app.security.users",
                 "app.services.setup", "app.services.startup", "app.db.backup", "app.db.lock",
                 "app.db.restore", "app.services.backups", "app.storage", "ui.main")

SCRIPT = f"""
import importlib, sys
for name in {START_MODULES!r}:
    importlib.import_module(name)
importlib.import_module("app.cli.main").build_parser()  # imports every command module
heavy = sorted({{h for h in {HEAVY!r} for m in sys.modules if m == h or m.startswith(h + ".")}})
print(",".join(heavy) or "none")
"""


def test_start_modules_do_not_import_heavy_libraries():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True,
                            encoding="utf-8", env=child_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "none"


def _imported_by(db_path, *args, user=None, password=None) -> set[str]:
    argv = cli_argv(db_path, args, user)
    argv.insert(1, "-X")
    argv.insert(2, "importtime")
    result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                            env=child_env(password=password))
    assert result.returncode == 0, result.stderr[-2000:]
    return {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines()
            if line.startswith("import time:")}


def test_everyday_cli_commands_do_not_import_heavy_libraries(db_path):
    for args, user in ((("status",), None), (("backup",), "admin")):  # without and with a login
        imported = _imported_by(db_path, *args, user=user, password=PASSWORDS["admin"])
        assert "sqlalchemy" in imported  # the measurement sees real imports
        assert imported.isdisjoint(HEAVY), (args, imported & set(HEAVY))
