"""Crash safety: a child process killed in the middle of a large save, a backup or a restore leaves
a sound database holding either everything before or everything after each transaction."""

import json
import shutil
import sqlite3
from contextlib import closing

import pytest

from app.db.backup import list_backups
from app.db.lock import read_holder
from tests.conftest import PASSWORDS
from tests.crash_harness import assert_sound, kill_when, rows, run_cli, snapshot, wal_bigger_than

pytestmark = pytest.mark.slow
PW = PASSWORDS["admin"]
TABLES = ("members", "units", "audit_log")


@pytest.fixture
def fresh_path(fresh_db):
    """An initialised database file with no demo data, closed."""
    fresh_db.close()
    return fresh_db.path


def test_sigkill_in_the_middle_of_a_large_save_rolls_back_whole(fresh_path):
    before = snapshot(fresh_path, ("members", "units"))
    result = kill_when(fresh_path, "demo", "--members", 200_000, "--seed", 3, password=PW,
                       condition=wal_bigger_than(fresh_path, 20 * 1024 * 1024))
    assert result.crashed, result.stderr  # really killed mid-transaction, not finished first
    assert_sound(fresh_path)
    assert snapshot(fresh_path, ("members", "units")) == before
    # the next start takes over the lock the dead process left, and the save can be done again
    assert read_holder(fresh_path) is not None
    again = run_cli(fresh_path, "demo", "--members", 2_000, "--seed", 3, password=PW)
    assert again.returncode == 0, again.stderr
    assert rows(fresh_path, "members") == 2_000


@pytest.mark.parametrize("point, members", [("demo.members.chunk:2", 25_000),  # chunks of 20,000
                                            ("demo.before-commit:1", 5_000)])
def test_crash_point_before_commit_leaves_all_before(fresh_path, point, members):
    before = snapshot(fresh_path, TABLES)
    result = run_cli(fresh_path, "demo", "--members", members, "--seed", 5, password=PW, crash_at=point)
    assert result.crashed, result.stderr
    assert_sound(fresh_path)
    after = snapshot(fresh_path, TABLES)
    assert after["members"] == before["members"] and after["units"] == before["units"]
    # only the login (its own, earlier transaction) reached the audit log
    assert after["audit_log"].rows == before["audit_log"].rows + 1


def test_crash_right_after_commit_leaves_all_after(fresh_path, tmp_path):
    reference = tmp_path / "reference.db"
    shutil.copyfile(fresh_path, reference)
    assert run_cli(reference, "demo", "--members", 5_000, "--seed", 9, password=PW).returncode == 0
    result = run_cli(fresh_path, "demo", "--members", 5_000, "--seed", 9, password=PW,
                     crash_at="demo.committed")
    assert result.crashed, result.stderr
    assert_sound(fresh_path)
    got, want = snapshot(fresh_path, ("members", "units")), snapshot(reference, ("members", "units"))
    for table in ("members", "units"):  # the same generated rows (timestamps differ)
        assert (got[table].rows, got[table].keys) == (want[table].rows, want[table].keys)


@pytest.mark.parametrize("point", ["backup.copied", "backup.done"])
def test_crash_during_a_backup(db_path, point):
    before = snapshot(db_path, ("members",))
    result = run_cli(db_path, "backup", password=PW, crash_at=point)
    assert result.crashed, result.stderr
    assert_sound(db_path)
    assert snapshot(db_path, ("members",)) == before
    listed = list_backups(db_path)
    if point == "backup.copied":  # nothing half-written is ever listed as a backup
        assert listed == []
    else:
        assert len(listed) == 1
        assert_sound(listed[0].path)


RESTORE_POINTS = ["restore.staged", "restore.identity", "restore.before-swap",
                  "restore.side-files-removed", "restore.swapped"]


@pytest.fixture(scope="module")
def restore_case(template_path, tmp_path_factory):
    """A database with a backup, then one more member: "old" (now) and "new" (the backup) differ."""
    folder = tmp_path_factory.mktemp("restore-case")
    db_path = folder / "uniondesk.db"
    shutil.copyfile(template_path, db_path)
    assert run_cli(db_path, "backup", password=PW).returncode == 0
    with closing(sqlite3.connect(db_path)) as conn:  # closed: a restore removes the -shm
        union = conn.execute("SELECT id FROM units WHERE kind = 'grassroots' LIMIT 1").fetchone()[0]
    added = run_cli(db_path, "member", "add", "--set", "name=柯新", "--set", "id_number=341122199003070025",
                    "--set", f"union_id={union}", user="clerk", password=PASSWORDS["clerk"])
    assert added.returncode == 0, added.stderr
    return folder


@pytest.mark.parametrize("point", RESTORE_POINTS)
def test_crash_during_a_restore_leaves_old_or_new(restore_case, tmp_path, point):
    from app.db.backup import check_database_file
    from app.security.actor import Actor
    from app.services.startup import Startup

    folder = tmp_path / "case"
    shutil.copytree(restore_case, folder)
    db_path = folder / "uniondesk.db"
    backup = next(b.path for b in list_backups(db_path) if b.reason == "manual")
    # the copied folder is a copied database: its first open here takes a new identity; settle it
    assert run_cli(db_path, "status", user=None).returncode == 0
    old_device, old_members = check_database_file(db_path).device_id, rows(db_path, "members")

    result = run_cli(db_path, "restore", backup, password=PW, crash_at=point)
    assert result.crashed, result.stderr
    assert_sound(db_path)
    state = check_database_file(db_path)
    assert state.ok, state.problems
    if point == "restore.swapped":  # renamed: the restored data with its new identity
        assert rows(db_path, "members") == old_members - 1
        assert state.device_id != old_device
        with closing(sqlite3.connect(db_path)) as conn:
            previous = json.loads(conn.execute("SELECT previous_device_ids FROM installation").fetchone()[0])
        assert check_database_file(backup).device_id in previous  # the backup's own identity
    else:  # not renamed yet: the old database, untouched
        assert rows(db_path, "members") == old_members
        assert state.device_id == old_device
    # either way the next start takes the lock over and the restore goes through
    start = Startup(db_path, program="cli")
    assert start.begin().ok
    assert start.lock.stale is not None and start.lock.stale.program == "cli"
    start.open()
    start.restore(backup, actor=Actor.system())
    start.close(backup=False)
    assert rows(db_path, "members") == old_members - 1
    assert_sound(db_path)


def test_crash_point_spec_and_a_point_that_is_not_armed_costs_nothing(monkeypatch):
    from app import crashpoints

    assert crashpoints._parse("restore.swapped, demo.members.chunk:3") == {
        "restore.swapped": 1, "demo.members.chunk": 3}
    monkeypatch.setattr(crashpoints, "_targets", {"elsewhere": 1})
    crashpoints.crashpoint("demo.members.chunk")  # not armed here: returns, the test goes on
    assert crashpoints.armed() == {"elsewhere": 1}


@pytest.fixture
def members_file(db, tmp_path):
    """The template's unions and its 300 members as the app exports them (a clerk's files)."""
    from app.excel.export import export_kind
    from app.security.users import authenticate

    clerk = authenticate(db, "clerk", PASSWORDS["clerk"])
    units, people = tmp_path / "units.xlsx", tmp_path / "members.xlsx"
    export_kind(db, clerk, "units", units)
    assert export_kind(db, clerk, "members", people).rows == 300
    return units, people


@pytest.mark.parametrize("point, written", [("excel.written", False), ("excel.committed", True)])
def test_an_excel_import_killed_is_all_or_nothing(fresh_db, members_file, point, written):
    from app.excel.importer import import_file
    from app.models import User
    from app.security.users import authenticate, create_user

    admin = authenticate(fresh_db, "admin", PW)
    with fresh_db.session(admin) as s:
        create_user(s, admin, "clerk", "clerk", password=PASSWORDS["clerk"])
        s.query(User).filter_by(username="clerk").one().must_change_password = False
    units, people = members_file
    assert import_file(fresh_db, authenticate(fresh_db, "clerk", PASSWORDS["clerk"]), "units",
                       units).written > 100
    path = fresh_db.path
    fresh_db.close()
    before = snapshot(path, ("members", "units"))
    result = run_cli(path, "excel", "import", "members", people, user="clerk",
                     password=PASSWORDS["clerk"], crash_at=point)
    assert result.crashed, result.stderr
    assert_sound(path)
    assert snapshot(path, ("units",)) == {"units": before["units"]}
    assert rows(path, "members") == (300 if written else 0)
    if not written:  # and the same file imports whole once the program runs again
        again = run_cli(path, "excel", "import", "members", people, user="clerk",
                        password=PASSWORDS["clerk"])
        assert again.returncode == 0, again.stderr
        assert rows(path, "members") == 300
