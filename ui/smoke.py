"""``uniondesk --smoke-test``: the real start path, scripted — start-up checks and instance lock,
the background open, the login window, every page and every dialog reachable from the navigation,
the screen lock, and on leaving the backup on exit — then exit 0, or exit 1 naming what failed (an
exception, a message shown to the user, or a Qt warning). CI runs it headless, also frozen.

Without ``--db`` it works on a temporary database with demonstration data, and also makes a backup
in 备份与恢复, restores it, logs in again on the restored data, then switches to a 经办人 and opens
every page again (the write, print and Excel dialogs are a clerk's). With ``--db`` it logs in as
``--user`` (password from ``UNIONDESK_PASSWORD``) and changes nothing but the audit log and the
backups folder (the backups a day's use makes).
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path

from PySide6.QtCore import QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog, QWidget

SMOKE_PASSWORD = "Smoke#Test2026"
DEMO_MEMBERS = 3000
# Messages some platform plugins print on every start; they say nothing about the app.
BENIGN = ("propagateSizeHints", "does not support raise", "does not support activateWindow",
          "XDG_RUNTIME_DIR", "QStandardPaths", "Unable to set geometry")


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
    from app.db.backup import list_backups
    from ui import errors, workers
    from ui.startup import run

    failures = SmokeFailures()
    qInstallMessageHandler(_qt_messages(failures))
    errors.on_unexpected = lambda exc, tb: failures.add(f"程序错误:{exc!r}\n{tb}")
    errors.on_message = lambda title, message: failures.add(f"{title}:{message}")
    original_hook = sys.excepthook
    sys.excepthook = lambda t, e, tb: failures.add(
        "未处理的异常:" + "".join(traceback.format_exception(t, e, tb)))
    driver = None
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
        driver = SmokeDriver(app, username, password, failures, restore_cycle=temporary,
                             then_as="clerk" if temporary else None)
        code = run(app, Path(db_path), driver=driver)
        if code != 0 and not failures.items:
            failures.add(f"程序以退出码 {code} 结束")
        if driver.windows and not any(b.reason == "exit" for b in list_backups(Path(db_path))):
            failures.add("退出时没有自动备份")
        elif driver.windows:
            driver.opened.append("退出时自动备份")
    except Exception as exc:  # noqa: BLE001 — every failure becomes the exit status and reason
        failures.add(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    finally:
        workers.wait_for_jobs(30_000)
        sys.excepthook = original_hook
        qInstallMessageHandler(None)
    if failures.items:
        print(f"自检失败:{len(failures.items)} 个问题", file=sys.stderr)
        return 1
    opened = driver.opened if driver else []
    print(f"自检通过:打开了 {len(opened)} 个页面和对话框:" + "、".join(opened))
    return 0


class SmokeDriver:
    """Plays the user for ``ui.session.DeskSession``."""

    def __init__(self, app, username: str, password: str, failures: SmokeFailures, *,
                 restore_cycle: bool, then_as: str | None = None):
        self.app, self.username, self.password = app, username, password
        self.failures = failures
        self.restore_cycle = restore_cycle
        self.then_as = then_as  # a second user (same password) for a last round after 切换用户
        self.opened: list[str] = []
        self.windows = 0

    def login_shown(self, login) -> None:
        login.username.setText(self.username)
        login.password.setText(self.password)
        login.accept()

        def refused() -> None:  # answered and still open: the password was refused
            if not login.isVisible():
                return
            if login.login_button.isEnabled() and login.actor is None:
                self.failures.add(f"无法以 {self.username} 登录:{login.message.text()}")
                login.reject()
                return
            QTimer.singleShot(50, refused)

        QTimer.singleShot(50, refused)

    def window_shown(self, window, session) -> None:
        self.windows += 1
        try:
            if self.windows == 1:
                self._exercise(window, session)
                if self.restore_cycle:
                    self._backup_and_restore(window)
                    return  # the window closes; the session restores and shows the login again
            elif self.windows == 2 and self.restore_cycle:
                self._after_restore(window)
                if self.then_as:
                    self.username = self.then_as
                    window.switch_user()  # the session shows the login again
                    return
            else:
                self._exercise(window, session)
                self.opened.append(f"以 {self.username} 登录后再次打开")
        except Exception as exc:  # noqa: BLE001
            self.failures.add(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
        window.quit_app()

    def inform(self, title: str, text: str, problem: bool = False) -> None:
        if problem:
            self.failures.add(f"{title}:{text}")

    # -- the rounds ----------------------------------------------------------------------------
    def _exercise(self, window, session) -> None:
        window.resize(1366, 768)
        _settle(self.app)
        for key in window.area_keys():
            page = window.navigate(key)
            _settle(self.app)
            self.opened.append(window.nav.currentItem().text())
            for name, factory in getattr(page, "smoke_dialogs", lambda: [])():
                self._open_and_close(factory, name)
        for name, factory in window.smoke_dialogs():
            self._open_and_close(factory, name)
        window.lock()
        _settle(self.app)
        if not window.locked:
            self.failures.add("锁屏没有出现")
        window.lock_screen.password.setText(self.password)
        window.lock_screen.try_unlock()
        _settle(self.app)
        if window.locked:
            self.failures.add("输入正确密码后没有解锁")
        self.opened.append("锁屏")
        for name, factory in _start_dialogs(window.ctx.db, session.start):
            self._open_and_close(factory, name)

    def _backup_and_restore(self, window) -> None:
        system = window.navigate("system")
        tab = system.tabs_by_key["backups"]
        system.setCurrentWidget(tab)
        before = len(tab.backups)
        tab.backup_now()
        _settle(self.app)
        made = [b for b in tab.backups if b.reason == "manual"]
        if len(tab.backups) <= before or not made:
            self.failures.add("立即备份后备份列表中没有新的备份")
            return
        self.opened.append("立即备份")
        window.ctx.request_restore(made[0].path)  # as the restore dialog does once confirmed

    def _after_restore(self, window) -> None:
        from app.services import listing
        from app.services.audit_view import recent_entries

        actor = window.ctx.actor  # the administrator: may read the members and the whole log
        with window.ctx.read() as s:
            members = listing.count(s, actor, listing.ListQuery.of("member"))
            restored = len(recent_entries(s, actor, action="restore"))
        if not members or not restored:
            self.failures.add(f"恢复后的数据库不对:会员 {members} 名,恢复记录 {restored} 条")
        window.navigate("organisation")
        _settle(self.app)
        self.opened.append("从备份恢复后重新登录")

    def _open_and_close(self, factory, name: str) -> None:
        from ui import workers

        try:
            widget: QWidget = factory()
            widget.show()
            _settle(self.app)
            workers.wait_for_jobs(30_000)
            if isinstance(widget, QDialog):
                widget.reject()
            widget.close()
            _settle(self.app)
            widget.deleteLater()
            _settle(self.app)
            self.opened.append(name)
        except Exception as exc:  # noqa: BLE001
            self.failures.add(f"打开“{name}”时出错:{exc!r}\n{traceback.format_exc()}")


def _start_dialogs(db, start) -> list:
    """The start-up dialogs: not reachable from the navigation, but part of every day (login,
    first run) or of a bad one (the damaged-database offer)."""
    from app.db.backup import list_backups
    from app.services.startup import ERROR, Finding, PreflightReport
    from ui.dialogs.damaged_database import DamagedDatabaseDialog
    from ui.dialogs.first_run import FirstRunDialog
    from ui.dialogs.login import LoginDialog
    from ui.startup import DatabaseOpener

    latest = next(iter(list_backups(db.path)), None)
    damaged = PreflightReport(db.path, [Finding(ERROR, "damaged", "(自检:假设数据库已损坏)")],
                              restore_candidate=latest)
    return [("登录", lambda: LoginDialog(DatabaseOpener.ready(db), "示例", "admin")),
            ("首次运行", lambda: FirstRunDialog(db)),
            ("数据库已损坏", lambda: DamagedDatabaseDialog(start, damaged))]


def _settle(app) -> None:
    from ui import workers

    for _ in range(3):
        app.processEvents()
    workers.wait_for_jobs(30_000)
    app.processEvents()
