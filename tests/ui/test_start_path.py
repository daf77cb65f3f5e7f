"""The desktop app's start path on the core's ``Startup``: one window per database (a second start
brings it forward, or names who holds the lock), refusals before anything is written, a damaged
file answered with the latest good backup, and a restore between two sessions."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from tests.conftest import PASSWORDS
from tests.crash_harness import ROOT, corrupt, rows


@pytest.fixture
def messages(monkeypatch):
    """Message boxes the start path shows, as (title, text), instead of blocking the test."""
    from ui import errors

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(errors, "on_message", lambda title, text: shown.append((title, text)))
    return shown


def test_a_second_start_brings_the_running_window_forward(qtbot, tmp_path):
    from ui.single_instance import InstanceServer, activate_running, server_name

    path = tmp_path / "office.db"
    assert server_name(path) == server_name(tmp_path / "." / "office.db")
    assert server_name(path) != server_name(tmp_path / "other.db")
    assert not activate_running(path)  # nobody listening: the caller shows the lock's message
    server = InstanceServer(path)
    assert server.listen()
    try:
        with qtbot.waitSignal(server.activate_requested, timeout=5_000):
            assert activate_running(path)
    finally:
        server.close()


HOLD_LOCK = ("import sys\nfrom app.db.lock import InstanceLock\n"
             "InstanceLock(sys.argv[1], 'cli').acquire()\nprint('held', flush=True)\nsys.stdin.read()")


def test_a_lock_held_by_another_program_is_named_in_chinese(qapp, db_path, messages):
    """Another process (the command-line tool) has the database: nobody answers on the socket,
    so the second start says who holds it and opens nothing."""
    from ui.startup import run

    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db_path)], cwd=ROOT, text=True,
                              encoding="utf-8", stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "held"
        before = db_path.read_bytes()
        assert run(qapp, db_path) == 1
        assert db_path.read_bytes() == before
        assert not Path(f"{db_path}-wal").exists()  # not opened at all
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    [(title, text)] = messages
    assert title == "工会工作台已在运行"
    assert "命令行工具" in text and f"进程 {holder.pid}" in text and "只能由一个程序打开" in text


def test_a_database_on_a_usb_stick_is_refused_before_anything_is_written(qapp, tmp_path, messages):
    from app import storage
    from ui.startup import run

    path = tmp_path / "stick" / "uniondesk.db"
    code = run(qapp, path, classify=lambda _p: storage.Location(storage.REMOVABLE, "U 盘 KINGSTON"))
    assert code == 5
    [(title, text)] = messages
    assert title == "无法打开数据库" and "U 盘或移动硬盘" in text and "KINGSTON" in text
    assert not path.parent.exists()  # not even the lock file


def test_a_damaged_database_offers_the_latest_backup_and_an_administrator_of_it_restores(
        qtbot, db_path):
    from app.db.backup import backup_database
    from app.db.engine import open_database
    from app.models import Member
    from app.services.startup import Startup
    from ui.dialogs.damaged_database import DamagedDatabaseDialog
    from ui.startup import DatabaseOpener, DatabaseProblem

    with open_database(db_path) as db:
        good = backup_database(db, reason="daily")
    members = rows(good, "members")
    corrupt(db_path)

    start = Startup(db_path, program="gui")
    start.begin(integrity=False)
    try:
        opener = DatabaseOpener(start)
        with pytest.raises(DatabaseProblem) as problem:
            opener.wait()
        assert problem.value.damaged and start.db is None  # never opened
        report = problem.value.report
        assert report.restore_candidate.path == good
        dialog = DamagedDatabaseDialog(start, report)
        qtbot.addWidget(dialog)
        assert good.name in dialog.source_label.text() and dialog.restore_button.isEnabled()
        for user, password, message in (("admin", "Wrong#Pass1", "用户名或密码错误"),
                                        ("clerk", PASSWORDS["clerk"], "无权")):
            dialog.username.setText(user)
            dialog.password.setText(password)
            dialog.restore()
            qtbot.waitUntil(lambda: dialog.restore_button.isEnabled(), timeout=20_000)
            assert message in dialog.message.text() and start.db is None
        dialog.username.setText("admin")
        dialog.password.setText(PASSWORDS["admin"])
        dialog.restore()
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=30_000)
        assert good.name in dialog.outcome_text()
        with start.db.read_session() as s:
            assert s.scalar(select(func.count()).select_from(Member)) == members
        with start.db.raw_connection() as conn:
            assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        damaged_copy = dialog.result_info.pre_restore_backup
        assert damaged_copy.exists() and "damaged" in damaged_copy.name  # the broken file is kept
    finally:
        start.close(backup=False)


class Driver:
    def __init__(self):
        self.told: list[tuple[str, str, bool]] = []
        self.logins = 0

    def inform(self, title, text, problem=False):
        self.told.append((title, text, problem))

    def login_shown(self, login):
        self.logins += 1
        login.opener.opened.connect(login.reject)  # opened after all: end the test, do not wait


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(qapp, db_path):
    """The login window is up while the check runs; the check's refusal ends it with the core's
    Chinese message, and the file is the same byte for byte."""
    import hashlib
    import sqlite3

    from app.db.backup import list_backups
    from ui.startup import run

    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    conn.close()
    digest = hashlib.sha256(db_path.read_bytes()).hexdigest()
    driver = Driver()
    assert run(qapp, db_path, driver=driver) == 5
    assert driver.logins == 1
    [(_title, text, problem)] = driver.told
    assert problem and "较新版本" in text and "ffff9999" in text and "请安装新版本" in text
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == digest
    assert list_backups(db_path) == []  # nothing was backed up or migrated


def test_closing_after_a_session_writes_a_checked_exit_backup_that_the_page_lists(qtbot, qapp,
                                                                                  db_path):
    from app.db.backup import check_database_file, list_backups, sidecar_matches
    from app.db.engine import open_database
    from app.services.startup import Startup
    from tests.conftest import _actor
    from tests.ui.conftest import make_ctx
    from ui.pages.system.backups import BackupsTab
    from ui.session import DeskSession
    from ui.workers import wait_for_jobs

    start = Startup(db_path, program="gui")
    start.begin()
    start.open()
    session = DeskSession(qapp, start, driver=Driver())
    session.logged_in = True  # someone worked in the main window
    session.finish()
    assert not start.lock.held and start.db is None
    [exit_backup] = [b for b in list_backups(db_path) if b.reason == "exit"]
    assert check_database_file(exit_backup.path).ok and sidecar_matches(exit_backup.path)

    with open_database(db_path) as db:
        tab = BackupsTab(make_ctx(db, _actor(db, "admin")))
        qtbot.addWidget(tab)
        row = [b.path for b in tab.backups].index(exit_backup.path)
        assert tab.table.item(row, 1).text() == "退出时自动"
        assert tab.table.item(row, 4).text() == exit_backup.path.name
        assert tab.summary.text().startswith(f"共 {len(tab.backups)} 份备份")
        assert wait_for_jobs(20_000)


def test_restore_between_two_sessions_reopens_the_restored_data(qapp, db_path, actors):
    from app.db.backup import backup_database
    from app.models import Member
    from app.services import records
    from app.services.startup import Startup
    from ui.session import DeskSession

    start = Startup(db_path, program="gui")
    start.begin()
    db = start.open()
    backup = backup_database(db, reason="manual")
    with db.session(actors["clerk"]) as s:
        union = s.scalar(select(Member.union_id))
        records.create(s, actors["clerk"], "member", {"name": "柯新", "union_id": union,
                                                   "id_number": "341122199003070025"})
    before = rows(backup, "members")
    driver = Driver()
    session = DeskSession(qapp, start, driver=driver)
    try:
        session._restore(backup, actors["admin"])
        assert [t for t, _, _ in driver.told] == ["恢复完成"]
        assert session.opener.db is start.db and start.db is not db
        with start.db.read_session() as s:
            assert s.scalar(select(func.count()).select_from(Member)) == before
        session._restore(backup.with_name("nothing.db"), actors["admin"])  # refused: reopened as it was
        title, text, problem = driver.told[-1]
        assert problem and "nothing.db" in text
        assert session.opener.wait() is start.db
        with start.db.read_session() as s:
            assert s.scalar(select(func.count()).select_from(Member)) == before
    finally:
        session.finish()
    assert not start.lock.held


def _gui(db_path, *args, **kwargs):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "UNIONDESK_FAST_KDF": "1"}
    return [sys.executable, "-m", "ui", "--db", str(db_path), *args], dict(cwd=ROOT, env=env, **kwargs)


def test_two_starts_as_separate_programs(db_path):
    """The first program waits at its login window; the second one asks it to come forward and
    ends at once."""
    from ui.single_instance import server_name

    argv, options = _gui(db_path)
    first = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)
    try:
        probe, deadline = QLocalSocket(), time.monotonic() + 60
        while time.monotonic() < deadline and first.poll() is None:
            probe.connectToServer(server_name(db_path))
            if probe.waitForConnected(200):
                probe.disconnectFromServer()
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"the first program never listened: {first.communicate(timeout=10)}")
        argv, options = _gui(db_path)
        second = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", timeout=120, **options)
        assert second.returncode == 0, second.stderr
        assert "已切换到那个窗口" in second.stdout
        assert first.poll() is None  # still running, untouched
    finally:
        first.kill()
        first.communicate(timeout=30)


# -- 系统管理 → 备份与恢复 ------------------------------------------------------------------------
def test_backups_page_backs_up_saves_elsewhere_verifies_and_requests_a_restore(
        qtbot, admin_ctx, answer, monkeypatch, tmp_path):
    from app.db.backup import sidecar_matches
    from ui.dialogs.backup_dialogs import BackupDestinationDialog, RestoreBackupDialog
    from ui.pages.system.backups import VERIFIED, BackupsTab
    from ui.workers import wait_for_jobs

    told = answer(info=None)
    tab = BackupsTab(admin_ctx)
    qtbot.addWidget(tab)
    before = len(tab.backups)

    tab.backup_button.click()  # 立即备份
    qtbot.waitUntil(lambda: len(tab.backups) == before + 1, timeout=30_000)
    made = tab.backups[0]
    assert made.reason == "manual" and tab.table.item(0, 1).text() == "手动"

    stick = tmp_path / "stick"  # 另存到… a chosen folder (a USB stick)
    monkeypatch.setattr(BackupDestinationDialog, "exec",
                        lambda self: (self.folder.setText(str(stick)), self.accept(), self.result())[-1])
    monkeypatch.setattr(tab, "make_destination_dialog", lambda: BackupDestinationDialog(tab, drives=[]))
    tab.copy_button.click()
    qtbot.waitUntil(lambda: told == ["info"], timeout=30_000)
    [copy] = list(stick.glob("*.db"))
    assert sidecar_matches(copy) is not False and copy.stat().st_size > 0

    tab.table.selectRow([b.path for b in tab.backups].index(made.path))
    tab.verify_button.click()  # 校验: the full check
    row = [b.path for b in tab.backups].index(made.path)
    qtbot.waitUntil(lambda: tab.table.item(row, 3).text() == VERIFIED, timeout=30_000)
    assert told == ["info", "info"]

    def confirm(self):  # the user waits for the check, then clicks 恢复
        qtbot.waitUntil(lambda: self.restore_button.isEnabled() or bool(self.message.text()), timeout=30_000)
        counts = {self.counts.item(r, 0).text(): self.counts.item(r, 2).text()
                  for r in range(self.counts.rowCount())}  # the backup's records beside today's
        assert self.counts.isVisibleTo(self) and int(counts["会员"].replace(",", "")) > 0
        if self.restore_button.isEnabled():
            self.restore_button.click()
        return self.result()

    monkeypatch.setattr(RestoreBackupDialog, "exec", confirm)
    tab.table.selectRow(row)
    with qtbot.waitSignal(admin_ctx.restore_requested, timeout=30_000) as requested:
        tab.restore_button.click()
    assert requested.args == [made.path]
    assert wait_for_jobs(20_000)


def test_a_damaged_backup_fails_the_check_and_cannot_be_restored(qtbot, admin_ctx, answer):
    from app.db.backup import backup_database
    from ui.pages.system.backups import BackupsTab

    told = answer(info=None)
    bad = backup_database(admin_ctx.db, reason="daily")
    corrupt(bad)
    tab = BackupsTab(admin_ctx)
    qtbot.addWidget(tab)
    row = [b.path for b in tab.backups].index(bad)
    tab.table.selectRow(row)
    tab.verify()
    qtbot.waitUntil(lambda: tab.table.item(row, 3).text().startswith("有问题"), timeout=30_000)
    assert told == ["info"]
    dialog = tab.make_restore_dialog(bad)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=30_000)
    assert "不一致" in dialog.message.text() and not dialog.restore_button.isEnabled()
    assert not dialog.verified


def test_the_daily_backup_after_login_runs_once_a_day_and_shows_in_the_status_bar(qtbot, admin_ctx):
    from app.db.backup import list_backups
    from ui.main_window import MainWindow
    from ui.session import start_daily_backups
    from ui.workers import wait_for_jobs

    window = MainWindow(admin_ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.backup_label.text() == "最近备份:无"
    start_daily_backups(window, admin_ctx)
    qtbot.waitUntil(lambda: window.backup_label.text() != "最近备份:无", timeout=30_000)
    [daily] = list_backups(admin_ctx.db.path)
    assert daily.reason == "daily" and daily.kind == "periodic"
    assert window.backup_label.text() == f"最近备份:{daily.taken_at:%Y-%m-%d %H:%M}"
    start_daily_backups(window, admin_ctx)  # the same day again: nothing new
    assert wait_for_jobs(30_000)
    assert list_backups(admin_ctx.db.path) == [daily]
    window.quit_app()
