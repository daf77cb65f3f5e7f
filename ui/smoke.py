"""``uniondesk --smoke-test``: start, log in, open every page and every dialog reachable from the
navigation, close them, and exit 0 — or exit 1 naming what failed (an exception, an error shown
to the user, or a Qt warning). CI runs it headless.

Without ``--db`` it works on a temporary database with demonstration data; with ``--db`` it logs
in as ``--user`` (password from ``UNIONDESK_PASSWORD``) and changes nothing but the audit log.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog, QWidget

SMOKE_PASSWORD = "Smoke#Test2026"
DEMO_MEMBERS = 3000
# Messages some platform plugins print on every start; they say nothing about the app.
BENIGN = ("propagateSizeHints", "does not support raise", "does not support activateWindow", "XDG_RUNTIME_DIR", "QStandardPaths", "Unable to set geometry")


class SmokeFailures:
    def __init__(self):
        self.items: list[str] = []

    def add(self, what: str) -> None:
        self.items.append(what)
        print(f"失败:{what}", file=sys.stderr, flush=True)


def _qt_messages(failures: SmokeFailures):
    def handler(kind, _context, message):
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            if not any(b in message for b in BENIGN):
                failures.add(f"Qt 警告:{message}")

    return handler


def _temporary_database() -> tuple[Path, str, str]:
    from app.db.engine import open_database
    from app.demo.generator import generate
    from app.services.setup import init_installation

    folder = Path(tempfile.mkdtemp(prefix="uniondesk-smoke-"))
    path = folder / "smoke.db"
    db = open_database(path, create=True)
    admin = init_installation(db, unit_name="示例县总工会", unit_code="341122", level="county",
                              admin_user="admin", admin_password=SMOKE_PASSWORD)
    generate(db, admin, members=DEMO_MEMBERS, seed=1)
    with db.session(admin) as s:  # a 经办人 too: the pages' write, print and Excel dialogs
        from app.security.users import create_user

        create_user(s, admin, "clerk", "clerk", password=SMOKE_PASSWORD,
                    display_name="经办人").user.must_change_password = False
    db.close()
    return path, "admin", SMOKE_PASSWORD


def run_smoke_test(app: QApplication, db_path: Path | None, username: str | None) -> int:
    from ui import errors, workers

    failures = SmokeFailures()
    qInstallMessageHandler(_qt_messages(failures))
    errors.on_unexpected = lambda exc, tb: failures.add(f"程序错误:{exc!r}\n{tb}")
    original_hook = sys.excepthook
    sys.excepthook = lambda t, e, tb: failures.add(
        "未处理的异常:" + "".join(traceback.format_exception(t, e, tb)))
    try:
        temporary = db_path is None
        if temporary:
            db_path, username, password = _temporary_database()
        else:
            password = os.environ.get("UNIONDESK_PASSWORD")
            if not username or password is None:
                print("错误:指定 --db 时须同时给出 --user,并设置环境变量 UNIONDESK_PASSWORD",
                      file=sys.stderr)
                return 2
        opened = _exercise(app, db_path, username, password, failures)
        if temporary:
            opened += _exercise(app, db_path, "clerk", password, failures)
    except Exception as exc:  # noqa: BLE001 — every failure becomes the exit status and reason
        failures.add(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
        opened = []
    finally:
        workers.wait_for_jobs(30_000)
        sys.excepthook = original_hook
        qInstallMessageHandler(None)
    if failures.items:
        print(f"自检失败:{len(failures.items)} 个问题", file=sys.stderr)
        return 1
    print(f"自检通过:打开了 {len(opened)} 个页面和对话框:" + "、".join(opened))
    return 0


def _exercise(app, db_path: Path, username: str, password: str, failures: SmokeFailures) -> list[str]:
    from app.db.engine import open_database
    from app.errors import AppError
    from app.security.users import authenticate
    from ui import workers
    from ui.context import AppContext
    from ui.main_window import MainWindow

    db = open_database(db_path)
    opened: list[str] = []
    try:
        try:
            actor = authenticate(db, username, password)
        except AppError as exc:
            failures.add(f"无法以 {username} 登录:{exc.message}")
            return opened
        ctx = AppContext(db, actor)
        window = MainWindow(ctx)
        window.resize(1366, 768)
        window.show()
        _settle(app)
        for key in window.area_keys():
            page = window.navigate(key)
            _settle(app)
            opened.append(window.nav.currentItem().text())
            for name, factory in getattr(page, "smoke_dialogs", lambda: [])():
                _open_and_close(app, factory, name, failures)
                opened.append(name)
        for name, factory in window.smoke_dialogs():
            _open_and_close(app, factory, name, failures)
            opened.append(name)
        window.lock()
        _settle(app)
        if not window.locked:
            failures.add("锁屏没有出现")
        window.lock_screen.password.setText(password)
        window.lock_screen.try_unlock()
        _settle(app)
        if window.locked:
            failures.add("输入正确密码后没有解锁")
        opened.append("锁屏")
        _other_dialogs(app, db, failures, opened)
        window.quit_app()
        _settle(app)
        workers.wait_for_jobs(30_000)
    finally:
        db.close()
    return opened


def _other_dialogs(app, db, failures, opened) -> None:
    """The start-up dialogs (not reachable from the navigation, but part of every day)."""
    from ui.dialogs.first_run import FirstRunDialog
    from ui.dialogs.login import LoginDialog
    from ui.startup import DatabaseOpener

    opener = DatabaseOpener(db.path)
    opener.wait()
    for name, factory in (("登录", lambda: LoginDialog(opener, "示例", "admin")),
                          ("首次运行", lambda: FirstRunDialog(db))):
        _open_and_close(app, factory, name, failures)
        opened.append(name)
    opener.db.close()


def _open_and_close(app, factory, name: str, failures: SmokeFailures) -> None:
    from ui import workers

    try:
        widget: QWidget = factory()
        widget.show()
        _settle(app)
        workers.wait_for_jobs(30_000)
        if isinstance(widget, QDialog):
            widget.reject()
        widget.close()
        _settle(app)
        widget.deleteLater()
        _settle(app)
    except Exception as exc:  # noqa: BLE001
        failures.add(f"打开“{name}”时出错:{exc!r}\n{traceback.format_exc()}")


def _settle(app) -> None:
    from ui import workers

    for _ in range(3):
        app.processEvents()
    workers.wait_for_jobs(30_000)
    app.processEvents()
