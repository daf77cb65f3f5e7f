"""Screenshots of issue 12's points 6 and 10, on the demonstration database of ``take.py``:

- ``desk-export-options``: 导出Excel from the member list with a union chosen in the tree and a
  status filter — the unit picked in a tree, the status from a list, dates on date lines, and
  不脱敏 offered unticked (exports are masked unless it is chosen);
- ``desk-manual``: 帮助 → 使用手册 opened by F1 in a member's form (its section);

and copies the pictures the manual shows (``MANUAL_IMAGES``, made by this and the other take_*
scripts) into ``resources/manual/images``, scaled to at most 800 px wide, so the packaged app
ships them and the manual follows the app.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/take_help.py [--members 2000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("UNIONDESK_FAST_KDF", "1")
os.environ.setdefault("UNIONDESK_DATA_DIR", "/tmp/uniondesk-screenshots-data")


MANUAL_IMAGES = ("desk-member-form-errors", "desk-members", "hardship-archive-form", "desk-archive-from-member",
                 "desk-archive-waiting", "desk-export-options", "desk-import-report", "print-f1-1",
                 "exchange-history", "rights-ticket-form")


def copy_manual_images(shots: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    target = ROOT / "resources" / "manual" / "images"
    target.mkdir(parents=True, exist_ok=True)
    for name in MANUAL_IMAGES:
        image = QImage(str(shots / f"{name}.png"))
        if image.width() > 800:
            image = image.scaledToWidth(800, Qt.TransformationMode.SmoothTransformation)
        image.save(str(target / f"{name}.png"))
        print("copied", target / f"{name}.png")


def main() -> None:
    from take import PASSWORD, demo_database

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--members", type=int, default=2_000)
    args = ap.parse_args()
    out = Path(args.out)
    path = Path(tempfile.mkdtemp(prefix="uniondesk-help-shots-")) / "demo.db"
    shutil.copy(demo_database(args.members), path)  # the shared demonstration file stays as made

    from PySide6.QtTest import QTest

    from app.db.engine import open_database
    from app.security.users import authenticate
    from ui import workers
    from ui.context import AppContext
    from ui.main import make_application
    from ui.main_window import MainWindow

    app = make_application()
    db = open_database(path)

    def settle(rounds: int = 6) -> None:
        for _ in range(rounds):
            app.processEvents()
            workers.wait_for_jobs(20_000)
        QTest.qWait(150)

    def shot(widget, name: str) -> None:
        settle()
        widget.grab().save(str(out / f"{name}.png"))
        print("wrote", out / f"{name}.png")

    clerk = authenticate(db, "zhangli", PASSWORD)
    ctx = AppContext(db, clerk)
    window = MainWindow(ctx)
    window.resize(1366, 768)
    window.show()
    page = window.navigate("organisation")
    tab = page.tab("members")
    settle()
    tree = tab.tree.tree
    town = tree.topLevelItem(0).child(0) if tree.topLevelItemCount() else None
    if town is not None:
        tree.setCurrentItem(town)
    tab.list.filters.set_values({"status": "1"})
    settle()
    dialog = tab.list.file_actions.export_dialog("members")
    dialog.show()
    settle()
    dialog.resize(560, 640)
    shot(dialog, "desk-export-options")
    dialog.done(0)
    copy_manual_images(out)

    form = tab.list.make_form(None)
    form.resize(900, 600)
    form.show()
    settle()
    manual = form.open_help()
    manual.resize(900, 680)
    settle()
    manual.show_section(manual.section)
    shot(manual, "desk-manual")
    manual.close()
    form.done(0)

    window.quit_app()
    settle()


if __name__ == "__main__":
    main()
