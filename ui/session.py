"""One run of the desktop app on one database, after the start-up checks (``ui.startup.run``):
first run or login, the main window (again after 切换用户 or a restore), the daily backup, and on
closing the backup on exit — every long step on a worker thread with a progress dialog.

A damaged database is never opened: ``DamagedDatabaseDialog`` offers the latest good backup, and
restoring it needs an administrator of that backup. 从备份恢复 in 系统管理 closes the window,
restores (``app.services.backups.restore``) and asks everyone to log in again on the restored data.

``driver`` (the smoke test) may script the windows: ``login_shown(login)``,
``window_shown(window, session)`` and ``inform(title, text, problem=False)`` in place of
message boxes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from app.services.startup import probe
from ui.single_instance import InstanceServer, bring_to_front
from ui.startup import RESTART, RESTORE, DatabaseOpener, DatabaseProblem, exit_once_shown, password_change_if_needed, warm_up
from ui.workers import run_and_wait, run_in_background, wait_for_jobs

log = logging.getLogger(__name__)
OPEN_FAILED = 2  # LoginDialog.exec() result: the database could not be opened meanwhile
DAILY_CHECK_MS = 60 * 60 * 1000  # how often a running session looks whether a day has passed


class DeskSession:
    def __init__(self, app: QApplication, start, *, driver=None, exit_when_ready: bool = False,
                 notice: str = ""):
        self.app, self.start, self.driver = app, start, driver
        self.exit_when_ready = exit_when_ready
        self.notice = notice
        self.opener: DatabaseOpener | None = None
        self.current = None  # the window a second start brings forward
        self.logged_in = False  # someone worked: back up on exit
        self.exit_code = 0
        self.server = InstanceServer(start.path)
        self.server.activate_requested.connect(self._bring_forward)
        if not self.server.listen():
            log.warning("single-instance server not listening: %s", self.server.server.errorString())

    # -- the sequence --------------------------------------------------------------------------
    def run(self) -> int:
        found = probe(self.start.path)
        self.opener = DatabaseOpener(self.start)
        username, unit_name = "", found.unit_name
        if found.kind != "ready":
            db = self._wait_for_database()
            if db is None:
                return self.exit_code
            if not db.initialised:
                from ui.dialogs.first_run import FirstRunDialog

                first = FirstRunDialog(db)
                self.current = first
                if not first.exec():
                    return 0
                username, unit_name = first.admin_username, first.unit_name
        self.app.setQuitOnLastWindowClosed(False)
        code = RESTART
        while code in (RESTART, RESTORE):
            actor = self._login(unit_name, username)
            if actor is None:
                return self.exit_code
            code, restore_source = self._work(actor)
            username = actor.username
            if code == RESTART:  # the next user starts from a backup of what this one left
                self._backup_on_switch()
            if code == RESTORE and restore_source is not None:
                self._restore(restore_source, actor)
                unit_name = probe(self.start.path).unit_name or unit_name
        return 0

    def _wait_for_database(self):
        try:
            return self.opener.wait()
        except Exception as exc:  # noqa: BLE001 — damaged, foreign or newer file: say so
            return self._recover(exc)

    def _recover(self, exc: BaseException):
        """The database could not be opened: offer the latest good backup when it is damaged,
        otherwise explain. Returns the (restored) database or None (the program ends)."""
        self.exit_code = 5
        if isinstance(exc, DatabaseProblem) and exc.damaged:
            from ui.dialogs.damaged_database import DamagedDatabaseDialog

            dialog = DamagedDatabaseDialog(self.start, exc.report)
            self.current = dialog
            if dialog.exec() == QDialog.DialogCode.Accepted and self.start.db is not None:
                self.exit_code = 0
                self.opener = DatabaseOpener.ready(self.start.db)
                self._inform("已从备份恢复", dialog.outcome_text())
                return self.start.db
            return None
        self._error(exc)
        return None

    def _login(self, unit_name: str, username: str):
        """The login window until someone logs in (and changes a forced password); None to quit."""
        from ui.dialogs.login import LoginDialog

        while True:
            login = LoginDialog(self.opener, unit_name, username, notice=self.notice)
            self.current = login
            failed = lambda _exc: login.done(OPEN_FAILED)  # noqa: E731
            self.opener.failed.connect(failed)
            if self.exit_when_ready:
                exit_once_shown(login)
            if self.driver is not None:
                QTimer.singleShot(0, lambda: self.driver.login_shown(login))
            result = login.exec() if self.opener.error is None else OPEN_FAILED
            self.opener.failed.disconnect(failed)
            self.notice = ""
            if result == OPEN_FAILED:
                db = self._recover(self.opener.error)
                if db is None:
                    return None
                unit_name = probe(self.start.path).unit_name
                continue
            if result != QDialog.DialogCode.Accepted:
                return None
            return password_change_if_needed(self.opener.db, login.actor, login.password_used)

    def _work(self, actor) -> tuple[int, Path | None]:
        """The main window until it closes: (0 | RESTART | RESTORE, the backup to restore)."""
        from ui.context import AppContext
        from ui.main_window import MainWindow

        db = self.opener.db
        self.start.lock.annotate(account=actor.username)
        ctx = AppContext(db, actor)
        ctx.startup = self.start
        window = MainWindow(ctx)
        window.closed.connect(self.app.exit, Qt.ConnectionType.QueuedConnection)
        window.show_sized()
        self.current = window
        self.logged_in = True
        start_daily_backups(window, ctx)
        if self.driver is not None:
            QTimer.singleShot(0, lambda: self.driver.window_shown(window, self))
        code = self.app.exec()
        source = window.restore_source
        wait_for_jobs(60_000)  # nothing of this window may still use the database
        self.current = None
        window.deleteLater()
        ctx.deleteLater()
        return code, source

    # -- backups -------------------------------------------------------------------------------
    def _backup_on_switch(self) -> None:
        from app.db.backup import backup_on_switch
        from app.progress import Cancelled
        from ui.errors import user_message

        db = self.opener.db if self.opener is not None else None
        if db is None:
            return
        job = run_and_wait(lambda p: backup_on_switch(db, p), "切换用户前自动备份数据库")
        if job.error is not None and not isinstance(job.error, Cancelled):
            self._warn(f"切换用户时的自动备份没有完成:{user_message(job.error)[0]}")

    def _restore(self, source: Path, actor) -> None:
        """Between two sessions: replace the database by ``source`` (the current state is backed
        up first), then everyone logs in again."""
        def work(_progress):
            from app.services import backups
            from app.services.setup import refresh_builtin_codes

            result = backups.restore(self.start, source, actor)
            refresh_builtin_codes(result.db)
            warm_up(result.db)
            return result

        job = run_and_wait(work, "正在从备份恢复", cancellable=False)
        if job.error is None:
            result = job.result
            saved = f"恢复前的数据已另存为 {result.pre_restore_backup.name}。" if result.pre_restore_backup else ""
            self.opener = DatabaseOpener.ready(result.db)
            self._inform("恢复完成", f"已用备份 {source.name} 恢复数据库。{saved}请重新登录。")
            return
        self._error(job.error, job.traceback)
        old, self.start.db = self.start.db, None  # the restore stopped: open the file again
        if old is not None:
            old.close()
        self.opener = DatabaseOpener(self.start)

    def finish(self) -> None:
        """Close: wait for background work, the backup on exit (after a session), release."""
        from app.progress import Cancelled
        from ui.errors import user_message

        wait_for_jobs(60_000)
        if self.opener is not None and self.opener.db is None and self.opener.error is None:
            try:
                self.opener.wait()  # still opening (the user quit at the login): let it finish
            except Exception:  # noqa: BLE001 — leaving anyway
                pass
        if self.start.lock.held:
            if self.logged_in and self.start.db is not None:
                job = run_and_wait(lambda p: self.start.close(progress=p), "退出前自动备份数据库")
                if job.error is not None and not isinstance(job.error, Cancelled):
                    self._warn(f"退出时的自动备份没有完成:{user_message(job.error)[0]}\n"
                               "数据库本身已正常关闭。")
            else:
                self.start.close(backup=False)
        self.server.close()

    # -- helpers -------------------------------------------------------------------------------
    def _bring_forward(self) -> None:
        bring_to_front(QApplication.activeModalWidget() or self.current)

    def _inform(self, title: str, text: str) -> None:
        if self.driver is not None:
            self.driver.inform(title, text)
            return
        from ui.dialogs.ask import Ask

        Ask.info(None, title, text)

    def _error(self, exc: BaseException, tb: str = "") -> None:
        if self.driver is not None:
            from ui.errors import user_message

            self.driver.inform("出错了", user_message(exc)[0], problem=True)
            return
        from ui.errors import show_error

        show_error(None, exc, tb)

    def _warn(self, text: str) -> None:
        if self.driver is not None:
            self.driver.inform("警告", text, problem=True)
            return
        from ui.errors import show_message

        show_message(None, text, title="警告")


def start_daily_backups(window, ctx) -> None:
    """A backup when the newest periodic one is a day old: after login, then checked every
    hour (office PCs stay on for days). In the background, from a read snapshot, so saves
    made meanwhile do not wait for it."""
    from ui.errors import user_message

    def work(_progress):
        from app.db.backup import ensure_recent_backup

        return ensure_recent_backup(ctx.db, concurrent=True)

    def done(path) -> None:
        if path is not None:
            ctx.notify_saved("backup", f"已完成每日自动备份:{path.name}")

    def failed(exc: BaseException, tb: str) -> None:
        log.warning("daily backup failed: %s", tb)
        ctx.status_message.emit(f"每日自动备份没有完成:{user_message(exc)[0]}")

    jobs = []

    def check() -> None:
        if not jobs or jobs[-1].finished:
            jobs[:] = [run_in_background(window, work, done, failed)]

    check()
    timer = QTimer(window)
    timer.setInterval(DAILY_CHECK_MS)
    timer.timeout.connect(check)
    window.closed.connect(timer.stop)
    timer.start()
