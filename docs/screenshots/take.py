"""Screenshots of the main pages for the README, on a generated demonstration database.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/take.py [--size 1366x768]

Writes PNG files into docs/screenshots/ (or --out). The database is generated once into /tmp.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("UNIONDESK_FAST_KDF", "1")
os.environ.setdefault("UNIONDESK_DATA_DIR", "/tmp/uniondesk-screenshots-data")

PASSWORD = "Shot#Desk2026"


def demo_database(members: int) -> Path:
    from app.db.engine import open_database
    from app.demo.generator import generate
    from app.models import User
    from app.security.users import create_user
    from app.services.setup import init_installation

    path = Path(f"/tmp/uniondesk-screenshots-{members}.db")
    if path.exists():
        return path
    db = open_database(path, create=True)
    admin = init_installation(db, unit_name="示例县总工会", unit_code="341122", level="county",
                              admin_user="admin", admin_password=PASSWORD)
    with db.session(admin) as s:
        create_user(s, admin, "zhangli", "clerk", password=PASSWORD, display_name="张丽")
        create_user(s, admin, "wangjun", "auditor", password=PASSWORD, display_name="王军")
        for u in s.query(User):
            u.must_change_password = False
    generate(db, admin, members=members, seed=2020)
    db.close()
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1366x768")
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--members", type=int, default=20_000)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = demo_database(args.members)

    from app.db.engine import open_database
    from app.security.users import authenticate
    from ui import workers
    from ui.context import AppContext
    from ui.main import make_application
    from ui.main_window import MainWindow

    app = make_application()
    db = open_database(path)
    suffix = "" if args.size == "1366x768" else f"-{args.size}"

    def settle(rounds: int = 6) -> None:
        from PySide6.QtTest import QTest

        for _ in range(rounds):
            app.processEvents()
            workers.wait_for_jobs(20_000)
        QTest.qWait(150)  # the views' delayed item layout

    def shot(widget, name: str) -> None:
        if args.only and args.only not in name:
            return
        settle()
        widget.grab().save(str(out / f"{name}{suffix}.png"))
        print("wrote", out / f"{name}{suffix}.png")

    clerk = authenticate(db, "zhangli", PASSWORD)
    ctx = AppContext(db, clerk)
    window = MainWindow(ctx)
    window.resize(width, height)
    window.show()
    shot(window, "home")
    page = window.navigate("organisation")
    shot(window, "members")
    members = page.tab("members").list
    members.search.setText("zs")
    members.search.commit()
    shot(window, "members-search-zs")
    members.search.setText("")
    members.search.commit()
    settle()
    members.view.setCurrentIndex(members.model.index(2, 0))
    form = members.make_form(members.current_id())
    form.resize(min(960, width - 80), min(700, height - 60))
    form.show()
    shot(form, "member-form")
    form.close()
    new = members.make_form(None)
    new.resize(min(960, width - 80), min(700, height - 60))
    new.show()
    settle()
    new.cells["name"].editor.line.setText("张三")
    id_editor = new.cells["id_number"].editor
    id_editor.line.setText("34112219900101123X")
    id_editor.line.textEdited.emit(id_editor.line.text())
    new.validate_field("id_number")
    new.validate_field("union_id")
    shot(new, "member-form-error")
    new.done(0)
    page.show_tab("units")
    shot(window, "units")
    window.navigate("poverty")
    shot(window, "placeholder-area")
    hardship = window.navigate("hardship")
    shot(window, "hardship-archives")
    archives = hardship.tab("archives")
    archives.apply_filters({"status": "archived"})
    settle()
    archives.view.setCurrentIndex(archives.model.index(0, 0))
    form = archives.make_form(archives.current_id())
    form.resize(min(1100, width - 40), min(720, height - 40))
    form.show()
    shot(form, "hardship-archive-form")
    form.done(0)
    archives.apply_filters({})
    window.quit_app()
    settle()

    admin = authenticate(db, "admin", PASSWORD)
    ctx = AppContext(db, admin)
    window = MainWindow(ctx)
    window.resize(width, height)
    window.show()
    system = window.navigate("system")
    shot(window, "system-users")
    system.setCurrentWidget(system.tabs_by_key["codes"])
    shot(window, "system-codes")
    system.setCurrentWidget(system.tabs_by_key["audit"])
    shot(window, "system-audit")
    window.lock()
    settle()
    window.lock_screen.resize(width, height)
    shot(window.lock_screen, "lock-screen")
    window.lock_screen.hide()
    window.quit_app()
    settle()

    from app.db.engine import open_database
    from ui.dialogs.first_run import FirstRunDialog
    from ui.dialogs.login import LoginDialog
    from ui.startup import DatabaseOpener

    opener = DatabaseOpener.ready(open_database(path))  # the login shown over an opened file
    login = LoginDialog(opener, "示例县总工会", "zhangli")
    login.show()
    login.message.setText("用户名或密码错误(再错 4 次将锁定账户)")
    shot(login, "login")
    login.done(0)
    first = FirstRunDialog(opener.db)
    first.show()
    shot(first, "first-run")
    first.done(0)
    opener.db.close()
    db.close()


if __name__ == "__main__":
    main()
