"""From start to the main window: one instance per database, first run or login, a forced
password change, then the window (again after 切换用户).

The login window appears at once: a look at the file with the ``sqlite3`` module alone tells
whether it is set up and names the unit, while the core (SQLAlchemy, Alembic, the migrations
check) loads and opens the database on a worker thread. Pressing 登录 waits for that if needed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication

from ui.workers import run_in_background

RESTART = 64  # app.exec() result meaning "log in again" (切换用户)


@dataclass(frozen=True)
class Probe:
    kind: str  # "missing" | "new" (no installation yet) | "ready" | "unknown"
    unit_name: str = ""


def probe(path: Path) -> Probe:
    """A read-only look at the file that never writes (no -wal is created)."""
    if not path.exists() or path.stat().st_size == 0:
        return Probe("missing")
    flags = "mode=ro" if Path(str(path) + "-wal").exists() else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                return Probe("missing")
            if "installation" not in tables:
                return Probe("unknown")
            row = conn.execute("SELECT u.name FROM installation i JOIN units u ON u.id = i.root_unit_id"
                               ).fetchone()
            return Probe("ready", row[0]) if row else Probe("new")
        finally:
            conn.close()
    except sqlite3.Error:
        return Probe("unknown")  # the real open explains what is wrong


class DatabaseOpener(QObject):
    """Opens (creating if needed) and migrates the database on a worker thread."""

    opened = Signal(object)
    failed = Signal(object)

    def __init__(self, path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.path = path
        self.db = None
        self.error: BaseException | None = None
        self.job = run_in_background(self, self._open, self._done, self._failed)

    def _open(self, _progress):
        from app.db.engine import open_database
        from app.services.setup import refresh_builtin_codes

        db = open_database(self.path, create=True)
        refresh_builtin_codes(db)
        warm_up(db)
        return db

    def _done(self, db) -> None:
        self.db = db
        self.opened.emit(db)

    def _failed(self, exc: BaseException, _tb: str) -> None:
        self.error = exc
        self.failed.emit(exc)

    def when_ready(self, on_ready: Callable, on_error: Callable) -> None:
        if self.db is not None:
            on_ready(self.db)
        elif self.error is not None:
            on_error(self.error)
        else:
            self.opened.connect(on_ready)
            self.failed.connect(on_error)

    def wait(self):
        """Block (processing events) until opened; returns the database or raises the error."""
        from ui.workers import wait_for_jobs

        while self.db is None and self.error is None:
            wait_for_jobs(100)
        if self.error is not None:
            raise self.error
        return self.db


def warm_up(db) -> None:
    """While the user types the password: load the services and let SQLAlchemy compile the
    lists' first queries, so the first page opened after login does not pay for it."""
    import app.security.users  # noqa: F401
    import app.services.dashboard  # noqa: F401
    from app.fields.codes import CodeBook
    from app.security.actor import Actor
    from app.services import listing

    if not db.initialised:
        return
    with db.read_session() as s:
        codes = CodeBook.load(s)
        for key in ("member", "unit"):
            listing.fetch_page(s, Actor.system(), listing.ListQuery.of(key), limit=1, codes=codes)


def acquire_instance_lock(path: Path) -> QLockFile | None:
    """One running app per database file (a second one would be a second writer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(path) + ".lock")
    lock.setStaleLockTime(0)
    return lock if lock.tryLock(100) else None


def run(app: QApplication, path: Path, *, exit_when_ready: bool = False) -> int:
    """The whole interactive session; returns the process exit code."""
    from ui.errors import show_message

    lock = acquire_instance_lock(path)
    if lock is None:
        show_message(None, f"工会工作台已经在本机打开了这个数据库({path})。\n请切换到已打开的窗口。",
                     title="已在运行")
        return 1
    try:
        return _session(app, path, exit_when_ready)
    finally:
        lock.unlock()


def _session(app: QApplication, path: Path, exit_when_ready: bool) -> int:
    from ui.dialogs.login import LoginDialog
    from ui.errors import show_error

    found = probe(path)
    opener = DatabaseOpener(path)
    username = ""
    unit_name = found.unit_name
    if found.kind != "ready":
        try:
            db = opener.wait()
        except Exception as exc:  # noqa: BLE001 — damaged, foreign or newer file: say so and stop
            show_error(None, exc)
            return 5
        if not db.initialised:
            from ui.dialogs.first_run import FirstRunDialog

            first = FirstRunDialog(db)
            if not first.exec():
                db.close()
                return 0
            username, unit_name = first.admin_username, first.unit_name
    app.setQuitOnLastWindowClosed(False)
    code = RESTART
    while code == RESTART:
        login = LoginDialog(opener, unit_name, username)
        if exit_when_ready:
            _exit_once_shown(app, login)
        if not login.exec():
            break
        db, actor = opener.db, login.actor
        actor = _password_change_if_needed(db, actor, login.password_used)
        if actor is None:
            break
        from ui.context import AppContext
        from ui.main_window import MainWindow

        ctx = AppContext(db, actor)
        window = MainWindow(ctx)
        window.closed.connect(app.exit, Qt.ConnectionType.QueuedConnection)
        window.show_sized()
        code = app.exec()
        username = actor.username
        window.deleteLater()
        ctx.deleteLater()
    if opener.db is not None:
        opener.db.close()
    return 0


def _password_change_if_needed(db, actor, password: str):
    """A password set by someone else (or too old) must be changed before work starts."""
    from dataclasses import replace

    from app.security.users import password_expired
    from ui.dialogs.change_password import ChangePasswordDialog

    expired = password_expired(db, actor)
    if not actor.must_change_password and not expired:
        return actor
    reason = ("这是管理员为您设置的密码,请设置一个只有您自己知道的新密码。" if actor.must_change_password
              else "您的密码已超过有效期,请设置新密码。")
    dialog = ChangePasswordDialog(db, actor, old_password=password, reason=reason, forced=True)
    if not dialog.exec():
        return None
    return replace(actor, must_change_password=False)


def _exit_once_shown(app: QApplication, widget) -> None:
    """For the start-up benchmark: print the seconds since ``UNIONDESK_T0`` (set by the benchmark
    just before it started this process) once the login window has been painted, and leave."""
    import os
    import sys
    import time

    from PySide6.QtCore import QEvent, QTimer

    def report() -> None:
        t0 = float(os.environ.get("UNIONDESK_T0", "0") or 0)
        print(f"ready {time.time() - t0:.4f}", flush=True)
        sys.stdout.flush()
        os._exit(0)  # not a normal exit: the database may still be opening on its thread

    class _Watch(QObject):
        def eventFilter(self, obj, event):
            if obj is widget and event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, report)
            return False

    widget.installEventFilter(_Watch(widget))
