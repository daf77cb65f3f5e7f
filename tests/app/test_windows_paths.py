"""Mapped drives and odd paths (issue 15, point 3; the name rules of point 8).

A backup on a mapped drive (Z: → \\\\server\\share): Windows resolves the path to the share, whose
``file://server/share/…`` URI SQLite refuses. Simulated here: ``Path.as_uri`` answers for the
"share" folder what it answers on Windows, and the folder is classified as a network drive.
"""

import errno
import pathlib
import shutil
import sqlite3
import sys

import pytest

from app import pathrules, storage
from app.db import backup as B
from app.errors import os_error_text


@pytest.fixture
def share(tmp_path, monkeypatch):
    """A folder that behaves like a mapped network drive on Windows."""
    folder = tmp_path / "share"
    folder.mkdir()
    real_as_uri = pathlib.PurePath.as_uri
    real_classify = storage.classify

    def as_uri(self):
        if str(self).startswith(str(folder)):  # Z:\… resolves to \\server\share\…
            return "file://server/share/" + self.name
        return real_as_uri(self)

    def classify(path, **kwargs):
        if str(path).startswith(str(folder)):
            return storage.Location(storage.REMOTE, "Z: (\\\\server\\share)")
        return real_classify(path, **kwargs)

    monkeypatch.setattr(pathlib.PurePath, "as_uri", as_uri)
    monkeypatch.setattr(storage, "classify", classify)
    return folder


def test_sqlite_refuses_the_uri_windows_gives_a_mapped_drive(share):
    """The failure being simulated: what today's code did with such a path."""
    path = share / "x.db"
    sqlite3.connect(path).close()
    with pytest.raises(sqlite3.OperationalError, match="authority"):
        sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _backup_on_share(db, share):
    made = B.backup_database(db, reason="manual", check="quick", rotate=False)
    dest = share / made.name
    shutil.copyfile(made, dest)
    B.write_sidecar(dest)
    return dest


def test_a_backup_on_a_mapped_drive_is_checked_not_called_damaged(db, share):
    on_share = _backup_on_share(db, share)
    check = B.check_database_file(on_share, full=True)
    assert check.ok, check.problems
    assert check.unit_code == "341122"
    assert sorted(share.iterdir()) == sorted([on_share, B.sidecar_path(on_share)])  # nothing beside it


def test_a_backup_on_a_mapped_drive_can_be_restored(db, admin, share):
    from app.db.lock import InstanceLock
    from app.db.restore import restore_database
    from app.services.backups import actor_from_backup
    from tests.conftest import PASSWORDS

    on_share = _backup_on_share(db, share)
    assert actor_from_backup(on_share, "admin", PASSWORDS["admin"]).username == "admin"
    lock = InstanceLock(db.path).acquire()
    try:
        result = restore_database(db.path, on_share, lock=lock, actor=admin, db=db)
        result.db.close()
    finally:
        lock.release()
    assert result.source == on_share.absolute()
    assert not list(db.path.parent.glob("uniondesk-stage-*"))  # the local copy is gone


def test_a_share_that_cannot_be_read_is_unreadable_not_damaged(db, share, monkeypatch):
    on_share = _backup_on_share(db, share)
    real_copy = shutil.copyfile

    def copyfile(src, dst, *args, **kwargs):
        if str(src).startswith(str(share)):
            err = OSError(errno.EINVAL, "The specified network name is no longer available")
            err.winerror = 64
            raise err
        return real_copy(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", copyfile)
    check = B.check_database_file(on_share)
    assert check.code == "unreadable" and "网络连接已断开" in check.problems[0]


def test_a_percent_sign_in_a_folder_name_stays_in_the_path(tmp_path):
    from app.db.engine import open_database

    folder = tmp_path / "2026%20工会"
    path = folder / "county.db"
    db = open_database(path, create=True)
    db.close()
    assert path.exists()
    assert not (tmp_path / "2026 工会").exists()


@pytest.mark.parametrize("name", ["a?b", "c#d"])
def test_question_marks_and_hashes_in_a_folder_name(tmp_path, name):
    from app.db.engine import open_database

    path = tmp_path / name / "county.db"
    open_database(path, create=True).close()
    assert path.exists() and B.check_database_file(path, identity=False).ok


def test_backups_of_county_db_and_County_db_are_one_set_on_windows(db, tmp_path, monkeypatch):
    made = B.backup_database(db, reason="manual", check="none", rotate=False)
    other = tmp_path / "County.db"  # the same file, typed with a capital letter on Windows
    monkeypatch.setattr(sys, "platform", "win32")
    lower = made.with_name(made.name.replace(db.path.stem, db.path.stem.lower(), 1))
    assert B.list_backups(other.with_name(db.path.stem.upper() + ".db"))[0].path == lower
    monkeypatch.setattr(sys, "platform", "linux")
    assert B.list_backups(other.with_name(db.path.stem.upper() + ".db")) == []


@pytest.mark.parametrize("winerror, errno_, expected, wrong", [
    (206, errno.ENOENT, "过长", "找不到"),  # ERROR_FILENAME_EXCED_RANGE arrives as ENOENT
    (19, errno.EACCES, "写保护", "没有访问权限"),  # ERROR_WRITE_PROTECT arrives as EACCES
    (21, errno.EINVAL, "未就绪", "读写文件时出错"),  # ERROR_NOT_READY: the stick was pulled out
    (53, errno.ENOENT, "网络路径", "找不到该文件或文件夹"),
    (112, errno.ENOSPC, "空间不足", None),
])
def test_windows_error_codes_say_what_happened(winerror, errno_, expected, wrong):
    exc = OSError(errno_, "…")
    exc.winerror = winerror  # only Windows' OSError sets it
    text = os_error_text(exc)
    assert expected in text and (wrong is None or wrong not in text)


@pytest.mark.parametrize("name, reserved", [
    ("CON", True), ("con.pdf", True), ("NUL .txt", True), ("COM1.tar.gz", True), ("lpt9", True),
    ("COM¹", True), ("CONSOLE", False), ("工会会员登记表_CON", False), ("COM0", False),
])
def test_device_names_are_reserved_on_windows(name, reserved):
    assert pathrules.is_reserved_name(name) is reserved


def test_suggested_file_names_avoid_device_names():
    from app.printing.forms.common import safe_stem

    assert safe_stem("CON") == "CON_"
    assert safe_stem("con.发票") == "con_.发票"
    assert safe_stem("nul") + ".pdf" == "nul_.pdf"
    assert safe_stem("工会会员登记表", "张三") == "工会会员登记表_张三"
    assert safe_stem("a:b", "c?.") == "a-b_c-"


def test_names_compare_without_case_on_windows_only():
    assert pathrules.same_name("County", "county", platform="win32")
    assert not pathrules.same_name("County", "county", platform="linux")
    assert pathrules.same_path("/x/County.db", "/x/county.db", platform="win32")
