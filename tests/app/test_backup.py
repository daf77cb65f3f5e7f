"""Backups (verified, hashed, rotated, copied to a stick and read back) and restores (checked,
identity renewed, audited, the current state kept first), and the damaged-file offer at start."""

import hashlib
import json
import os
import shutil
import sqlite3
import time
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app import clock
from app.db import backup as B
from app.errors import AppError, DatabaseError, PermissionDenied
from app.models import AuditEntry, Installation, Member
from app.security.audit import verify
from app.services import backups, records
from app.services.startup import Startup, preflight
from tests.conftest import PASSWORDS
from tests.crash_harness import assert_sound, corrupt, rows, run_cli


def _members(path: Path) -> int:
    return rows(path, "members")


# -- making backups ------------------------------------------------------------------------------
def test_backup_is_a_verified_single_file_with_a_sha256_sidecar(db):
    path = B.backup_database(db, reason="exit")
    assert path.parent == db.path.parent / "backups" and path.name.endswith("_exit.db")
    assert not Path(f"{path}-wal").exists() and not list(path.parent.glob("*.partial"))
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    digest, name = B.sidecar_path(path).read_text(encoding="ascii").split()
    assert name == path.name and digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert B.sidecar_matches(path) is True
    assert _members(path) == _members(db.path)
    info = B.list_backups(db.path)[0]
    assert (info.path, info.reason, info.kind) == (path, "exit", "periodic")


def test_a_concurrent_backup_copies_the_committed_state_while_a_save_is_open(db, actors):
    """The desktop app's daily backup reads a snapshot beside the writer: a save in progress
    neither waits for it nor ends up half in it."""

    before = _members(db.path)
    with db.session(actors["clerk"]) as s:
        union = s.scalar(select(Member.union_id))
        records.create(s, actors["clerk"], "member", {"name": "柯新", "union_id": union,
                                                   "id_number": "341122199003070025"})
        s.flush()  # the writer holds its write transaction during the backup
        path = B.backup_database(db, reason="daily", concurrent=True)
    assert _members(path) == before and _members(db.path) == before + 1
    assert B.check_database_file(path).ok and B.sidecar_matches(path)


def test_manual_backup_is_audited_and_needs_the_backup_permission(db, actors):
    made = backups.make_backup(db, actors["admin"])
    assert made.path == made.local and made.sha256 == B.sha256_file(made.path)
    with db.read_session() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert (entry.action, entry.username) == ("backup", "admin") and made.path.name in entry.summary
    for role in ("clerk", "auditor", "readonly"):
        with pytest.raises(PermissionDenied, match="无权备份数据库"):
            backups.make_backup(db, actors[role])


def test_backup_to_a_stick_is_read_back_and_compared(db, actors, tmp_path):
    stick = tmp_path / "usb"
    stick.mkdir()
    made = backups.make_backup(db, actors["admin"], stick)
    assert made.path.parent == stick and made.local.parent == db.path.parent / "backups"
    assert B.sha256_file(made.path) == B.sha256_file(made.local) == made.sha256
    assert B.sidecar_matches(made.path) is True
    with pytest.raises(AppError, match="已存在"):
        B.export_backup(db, made.path)


def test_a_stick_that_loses_data_is_detected(db, tmp_path, monkeypatch):
    def lying_copy(src, dst, length=0):  # the stick "accepts" the data and keeps a corrupt copy
        data = bytearray(src.read())
        data[len(data) // 2] ^= 0xFF
        dst.write(data)

    monkeypatch.setattr(B.shutil, "copyfileobj", lying_copy)
    target = tmp_path / "usb" / "copy.db"
    with pytest.raises(AppError, match="读回的内容与原备份不一致") as caught:
        B.export_backup(db, target)
    assert not target.exists()
    local = B.list_backups(db.path)[0].path  # the local copy is still there, and said so
    assert str(local) in caught.value.message and B.sidecar_matches(local)


def test_recent_backup_is_taken_once_per_period(db):
    assert B.ensure_recent_backup(db) is not None
    assert B.ensure_recent_backup(db) is None
    clock.set_offset(timedelta(days=1, minutes=1))
    try:
        assert B.ensure_recent_backup(db) is not None
    finally:
        clock.set_offset(None)
    assert [b.reason for b in B.list_backups(db.path)] == ["daily", "daily"]


def test_startup_close_backs_up_on_exit(db_path):
    start = Startup(db_path)
    start.begin()
    start.open()
    saved = start.close()
    assert saved.name.endswith("_exit.db") and B.sidecar_matches(saved)
    assert not start.lock.held


def test_cli_backup_after_a_change_but_not_after_a_read(db_path):
    # The test file is a copy of a template: its first open here takes a new device identity
    # (a write). Settle that first, then a read must not back up.
    assert run_cli(db_path, "status", user=None).returncode == 0
    for b in B.list_backups(db_path):
        b.path.unlink()
        B.sidecar_path(b.path).unlink()
    assert run_cli(db_path, "status", user=None).returncode == 0
    assert B.list_backups(db_path) == []
    result = run_cli(db_path, "user", "list", password=PASSWORDS["admin"])  # the login is audited
    assert result.returncode == 0
    assert [b.reason for b in B.list_backups(db_path)] == ["daily"]


# -- rotation ------------------------------------------------------------------------------------
def _fake(folder: Path, when: datetime, reason: str) -> Path:
    path = folder / f"uniondesk_{when:%Y%m%d_%H%M%S_%f}_{reason}.db"
    path.write_bytes(b"x")
    B.sidecar_path(path).write_text("0  x\n", encoding="ascii")
    return path


def test_rotation_keeps_7_daily_4_weekly_12_monthly_and_10_per_event(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    day = datetime(2025, 1, 1)
    while day <= datetime(2026, 3, 31):  # two sessions a day for 15 months
        _fake(folder, day.replace(hour=9), "exit")
        _fake(folder, day.replace(hour=17), "daily")
        day += timedelta(days=1)
    events = {reason: [_fake(folder, datetime(2026, 3, 1) + timedelta(hours=i), reason) for i in range(n)]
              for reason, n in (("pre-migrate-0001", 13), ("pre-import", 3), ("manual", 11))}
    partial_old, partial_new = folder / "a.db.partial", folder / "b.db.partial"
    partial_old.write_bytes(b"")
    partial_new.write_bytes(b"")
    os.utime(partial_old, (time.time() - 7200, time.time() - 7200))

    B.prune_backups(folder)

    at5 = lambda y, m, d: f"{y:04d}{m:02d}{d:02d}_170000_000000_daily.db"  # noqa: E731
    daily = {at5(2026, 3, d) for d in range(25, 32)}  # the newest of each of the last 7 days
    weekly = {at5(2026, 3, 22), at5(2026, 3, 15)}  # ISO weeks 12, 11 (13 and 14 are in daily)
    monthly = {at5(2026, 2, 28), at5(2026, 1, 31)} | {
        at5(2025, m, [30, 31][m in (5, 7, 8, 10, 12)]) for m in range(4, 13)}  # Apr 2025 – Feb 2026
    expected = {"uniondesk_" + n for n in daily | weekly | monthly}
    expected |= {p.name for group in events.values() for p in sorted(group)[-10:]}
    kept = {p.name for p in folder.iterdir() if p.suffix == ".db"}
    assert kept == expected
    assert len(expected) == 7 + 2 + 11 + 10 + 3 + 10
    sidecars = {p.name.removesuffix(".sha256") for p in folder.glob("*.sha256")}
    assert sidecars == expected
    assert not partial_old.exists() and partial_new.exists()


# -- restore -------------------------------------------------------------------------------------
def _open_start(db_path):
    start = Startup(db_path, program="gui")
    assert start.begin().ok
    start.open()
    return start


def test_restore_replaces_the_data_renews_the_identity_and_audits(db_path, actors):
    start = _open_start(db_path)
    db = start.db
    saved = B.backup_database(db, reason="manual")
    with db.session(actors["clerk"]) as s:  # a change after the backup
        s.scalars(select(Member).limit(3)).all()[0].deleted = True
    live_before = rows(db_path, "members", "deleted = 0")
    old_device = db.device_id

    result = backups.restore(start, saved, actors["admin"])
    db = start.db
    assert result.db is db and db.device_id == result.new_device_id != old_device
    assert rows(db_path, "members", "deleted = 0") == live_before + 1  # the change is undone
    with db.read_session() as s:
        inst = s.scalar(select(Installation))
        assert inst.device_id == result.new_device_id
        assert json.loads(inst.previous_device_ids)[-1] == old_device  # (the copy took one too)
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert (entry.action, entry.username, entry.device_id) == ("restore", "admin", result.new_device_id)
        assert json.loads(entry.detail)["sha256"] == B.sha256_file(saved)
        assert verify(s).ok
    # the state before the restore was kept, and it is the changed one
    assert result.pre_restore_backup.name.endswith("_pre-restore.db")
    assert rows(result.pre_restore_backup, "members", "deleted = 0") == live_before
    assert not Path(f"{db_path}.new").exists()
    start.close(backup=False)
    assert_sound(db_path)


def test_restore_needs_the_backup_permission(db_path, actors):
    start = _open_start(db_path)
    saved = B.backup_database(start.db)
    try:
        with pytest.raises(PermissionDenied, match="无权从备份恢复数据库"):
            backups.restore(start, saved, actors["clerk"])
    finally:
        start.close(backup=False)


def _variant(path: Path, tmp_path: Path, sql: str) -> Path:
    out = tmp_path / f"variant{len(list(tmp_path.glob('variant*')))}.db"
    shutil.copyfile(path, out)
    with closing(sqlite3.connect(out)) as conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        conn.executescript(sql)
    return out


@pytest.mark.parametrize("sql, message", [
    ("UPDATE alembic_version SET version_num = '9999';", "较新版本"),
    ("UPDATE units SET id = id; UPDATE installation SET root_unit_id = "
     "(SELECT id FROM units WHERE kind = 'grassroots' LIMIT 1);", "另一个单位"),
    ("DELETE FROM installation;", "尚未初始化"),
    ("DROP TABLE alembic_version;", "不是工会工作台数据库"),
])
def test_restore_refuses_what_is_not_a_usable_backup_of_this_unit(db_path, tmp_path, actors, sql, message):
    template = tmp_path / "copy.db"
    shutil.copyfile(db_path, template)
    bad = _variant(template, tmp_path, sql)
    start = _open_start(db_path)
    before = B.sha256_file(db_path)
    try:
        with pytest.raises(DatabaseError, match=message):
            backups.restore(start, bad, actors["admin"])
        assert start.db is not None and start.db.initialised  # still open, untouched
    finally:
        start.close(backup=False)
    assert B.sha256_file(db_path) == before
    assert not Path(f"{db_path}.new").exists()


def test_restore_refuses_a_tampered_backup_and_a_non_database(db_path, tmp_path, actors):
    start = _open_start(db_path)
    try:
        saved = B.backup_database(start.db)
        with open(saved, "r+b") as f:
            f.seek(200)
            f.write(b"!")
        with pytest.raises(DatabaseError, match="校验文件"):
            backups.restore(start, saved, actors["admin"])
        junk = tmp_path / "junk.db"
        junk.write_bytes("会议纪要,不是数据库".encode() * 100)
        with pytest.raises(DatabaseError) as exc:
            backups.restore(start, junk, actors["admin"])
        assert "这不是数据库文件" in exc.value.message
        assert "file is not a database" not in exc.value.message  # the technical text: log only
        check = B.check_database_file(junk, full=True)  # what the restore dialog shows first
        assert check.problems == ["无法读取:这不是数据库文件(可能选错了文件)"]
    finally:
        start.close(backup=False)


# -- the damaged file at start -------------------------------------------------------------------
def test_a_damaged_database_is_detected_at_start_and_the_latest_good_backup_offered(db_path):
    start = _open_start(db_path)
    older = B.backup_database(start.db, reason="manual")  # kept by rotation: manual ones are events
    good = B.backup_database(start.db, reason="manual")
    tampered = B.backup_database(start.db, reason="exit")
    start.close(backup=False)
    with open(tampered, "r+b") as f:  # the newest backup no longer matches its hash
        f.seek(4096 + 100)
        f.write(b"\x00\x01")
    members = _members(db_path)
    corrupt(db_path)

    start = Startup(db_path, program="gui")
    report = start.begin()
    assert report.damaged and not report.ok
    assert report.restore_candidate.path == good != older
    assert good.name in report.errors[0].message and "已损坏" in report.errors[0].message
    with pytest.raises(DatabaseError):  # nothing opens the damaged file behind the user's back
        start.open()
    # the user accepted: an administrator's password checked against the backup's accounts
    actor = backups.actor_from_backup(report.restore_candidate.path, "admin", PASSWORDS["admin"])
    result = start.restore(report.restore_candidate.path, actor=actor)
    assert result.pre_restore_backup.name.endswith("_pre-restore-damaged.db")
    start.close(backup=False)
    assert_sound(db_path)
    assert _members(db_path) == members
    assert preflight(db_path).ok


def test_backup_credentials_are_checked(db_path):
    with pytest.raises(AppError, match="用户名或密码错误"):
        backups.actor_from_backup(db_path, "admin", "wrong")
    with pytest.raises(PermissionDenied):
        backups.actor_from_backup(db_path, "clerk", PASSWORDS["clerk"])
    assert backups.actor_from_backup(db_path, "admin", PASSWORDS["admin"]).role == "admin"


def test_cli_backup_list_and_restore_of_a_damaged_database(db_path, tmp_path):
    stick = tmp_path / "usb"
    made = run_cli(db_path, "backup", "--out", f"{stick}/", password=PASSWORDS["admin"])
    assert made.returncode == 0, made.stderr
    assert "已读回核对" in made.stdout
    copy = next(stick.glob("*.db"))
    listing = run_cli(db_path, "backup", "--list", user=None)
    assert listing.returncode == 0 and "手动" in listing.stdout and "校验一致" in listing.stdout
    corrupt(db_path)
    check = run_cli(db_path, "db", "check", user=None)
    assert check.returncode == 1
    wrong = run_cli(db_path, "restore", copy, password="Nope#2026")
    assert wrong.returncode == 4 and "按备份中的账户核对" in wrong.stderr
    done = run_cli(db_path, "restore", copy, password=PASSWORDS["admin"])
    assert done.returncode == 0, done.stderr
    assert "已从备份恢复" in done.stdout and "新的设备标识" in done.stdout
    assert run_cli(db_path, "db", "check", user=None).returncode == 0
    assert run_cli(db_path, "audit", "verify", user="auditor", password=PASSWORDS["auditor"]).returncode == 0


def test_first_install_from_a_backup_on_a_new_pc(db_path, tmp_path):
    """A new PC: no database yet; the administrator restores the backup brought on a stick."""
    stick = tmp_path / "usb"
    assert run_cli(db_path, "backup", "--out", f"{stick}/", password=PASSWORDS["admin"]).returncode == 0
    new = tmp_path / "newpc" / "uniondesk.db"
    done = run_cli(new, "restore", next(stick.glob("*.db")), password=PASSWORDS["admin"])
    assert done.returncode == 0, done.stderr
    assert "恢复前的数据" not in done.stdout  # there was nothing to keep
    assert _members(new) == _members(db_path)
    assert B.check_database_file(new).device_id != B.check_database_file(db_path).device_id


def test_two_databases_in_one_folder_keep_their_backups_apart(db_path, tmp_path):
    other = db_path.with_name("city.db")
    shutil.copyfile(db_path, other)
    with closing(sqlite3.connect(other)) as conn:  # a different unit, as a second database would be
        conn.execute("UPDATE units SET name = '另一个总工会' WHERE id = (SELECT root_unit_id FROM installation)")
        conn.commit()
    start = _open_start(other)
    mine = B.backup_database(start.db, reason="exit")
    start.close(backup=False)
    assert mine.name.startswith("city_")
    assert B.list_backups(db_path) == [] and B.latest_good_backup(db_path) is None
    assert [b.path for b in B.list_backups(other)] == [mine]
    start = _open_start(db_path)
    ours = B.backup_database(start.db, reason="exit")  # rotation of one database spares the other's
    start.close(backup=False)
    assert mine.exists() and [b.path for b in B.list_backups(db_path)] == [ours]


def test_backup_reports_progress_checks_by_kind_and_can_be_cancelled(db, monkeypatch):
    from app.progress import Cancelled, Progress

    checks = []
    real = B.check_database_file
    monkeypatch.setattr(B, "check_database_file",
                        lambda path, **kw: checks.append(kw["full"]) or real(path, **kw))
    seen = []
    B.backup_database(db, reason="manual", progress=Progress(lambda done, total, msg: seen.append((done, total, msg))))
    B.backup_database(db, reason="exit")
    assert checks == [True, False]  # manual: integrity_check; automatic: quick_check
    copied = [(d, t) for d, t, m in seen if m == "正在备份数据库"]
    assert copied and copied[-1][0] == copied[-1][1] > 0 and "正在校验备份" in {m for *_, m in seen}

    progress = Progress(lambda done, total, msg: progress.cancel())
    with pytest.raises(Cancelled):
        B.backup_database(db, reason="manual", progress=progress)
    assert len(B.list_backups(db.path)) == 2 and not list(B.backups_dir(db.path).glob("*.partial"))
