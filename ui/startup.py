"""From start to the login window: the core's start-up checks and instance lock, one running
window per database, and the database opened in the background while the user types.

``run`` does, on the UI thread and before any window (all of it light — no SQLAlchemy yet):
``app.services.startup.Startup.begin`` refuses a database on a network share or a removable drive,
takes the operating-system lock ``<db>.lock`` (a second start asks the running window to come
forward, ``ui.single_instance``, or names who holds the lock), and checks free space and the SQLite
library. Then ``ui.session.DeskSession`` shows the login window at once, while ``DatabaseOpener``
runs ``quick_check``, opens and migrates the database (``Startup.open``, which also settles the
installation's device identity) and warms the first queries on a worker thread. A damaged file is
never opened: the session offers the latest good backup instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from app.errors import DatabaseError
from ui.workers import run_in_background

log = logging.getLogger(__name__)

RESTART = 64  # app.exec() result meaning "log in again" (切换用户)
RESTORE = 65  # "close, restore the chosen backup, log in again" (从备份恢复)


class DatabaseProblem(DatabaseError):
    """The start-up integrity check found the file damaged, foreign or too new."""

    def __init__(self, report):
        self.report = report
        super().__init__("\n".join(f.message for f in report.errors))

    @property
    def damaged(self) -> bool:
        return self.report.damaged


class DatabaseOpener(QObject):
    """Checks (``quick_check``), opens and migrates the database on a worker thread."""

    opened = Signal(object)
    failed = Signal(object)

    def __init__(self, start=None, parent: QObject | None = None, *, db=None):
        super().__init__(parent)
        self.start = start  # app.services.startup.Startup, lock held
        self.db = db
        self.error: BaseException | None = None
        self.job = None if db is not None else run_in_background(self, self._open, self._done,
                                                                   self._failed)

    @classmethod
    def ready(cls, db, parent: QObject | None = None) -> DatabaseOpener:
        """An opener for a database that is already open (after a restore; the smoke test)."""
        return cls(None, parent, db=db)

    def _open(self, _progress):
        from app.services.setup import refresh_builtin_codes

        report = self.start.check_integrity()
        if report.errors:
            raise DatabaseProblem(report)
        db = self.start.open(create=True)  # also check_identity: a copied file takes a new id
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
    from app.excel.registry import all_kinds
    from app.fields.codes import CodeBook
    from app.printing.registry import all_forms
    from app.security.actor import Actor
    from app.services import listing

    all_forms()  # every list page's 打印 ▾ and Excel buttons ask these (a quarter of a second)
    all_kinds()
    if not db.initialised:
        return
    with db.read_session() as s:
        codes = CodeBook.load(s)
        for key in ("member", "unit"):
            listing.fetch_page(s, Actor.system(), listing.ListQuery.of(key), limit=1, codes=codes)


def run(app: QApplication, path: Path, *, exit_when_ready: bool = False, driver=None,
        classify=None) -> int:
    """The whole interactive session; returns the process exit code. ``driver`` scripts the
    windows (the smoke test); ``classify`` replaces the disk-type probe (tests)."""
    from app.db.lock import InstanceLocked
    from app.services.startup import Startup
    from ui.errors import show_message
    from ui.session import DeskSession
    from ui.single_instance import activate_running

    start = Startup(path, program="gui", classify=classify)
    try:
        report = start.begin(integrity=False)  # quick_check runs in the background, below
    except InstanceLocked as exc:
        if activate_running(start.path, exc.holder.pid if exc.holder else None):
            print(f"工会工作台已经打开了数据库 {start.path},已切换到那个窗口。", flush=True)
            return 0
        show_message(None, exc.message, title="工会工作台已在运行")
        return 1
    except OSError as exc:  # the folder cannot be made or the lock file not written
        show_message(None, f"无法使用数据库所在的文件夹 {start.path.parent}:{exc.strerror or exc}。"
                           "请检查该文件夹是否存在、是否有写入权限。", title="无法打开数据库")
        return 5
    if report.errors:
        show_message(None, "\n\n".join(f.message for f in report.errors), title="无法打开数据库")
        return 5
    for finding in report.findings:
        log.info("start-up: %s", finding.message)
    notice = "\n".join(f.message for f in report.warnings)
    session = DeskSession(app, start, driver=driver, exit_when_ready=exit_when_ready, notice=notice)
    try:
        return session.run()
    finally:
        session.finish()


def password_change_if_needed(db, actor, password: str):
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


def exit_once_shown(widget) -> None:
    """For the start-up benchmark (``UNIONDESK_STARTUP_PROBE=1`` or ``--exit-when-ready``): print
    the seconds since ``UNIONDESK_T0`` (set by the benchmark just before it started this process)
    once the login window has been painted, and leave."""
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
