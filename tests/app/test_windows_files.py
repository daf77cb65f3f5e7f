"""Files held by antivirus, the indexer or Excel (issue 15, point 2): every replace and delete tries
again for a moment, then says in Chinese which file and which program probably holds it; a
clean-up that fails never fails the job it cleans up after. ``held_files`` (tests/conftest.py)
makes ``os.replace`` / ``os.unlink`` refuse as Windows does."""

import errno
import os
import shutil
from datetime import datetime, timedelta

import pytest

from app.db import backup as B
from app.errors import AppError
from app.fileio import atomic_output
from app.fileops import DELAYS, FileBusy


# -- backups -------------------------------------------------------------------------------------
def test_a_backup_waits_for_a_scanner_that_holds_it_for_a_moment(db, held_files):
    held_files(replace=2, match="backups")
    path = B.backup_database(db, reason="manual", check="quick")
    assert path.exists() and B.sidecar_matches(path) is True
    assert len(held_files.refused) == 2 and held_files.slept == list(DELAYS[:2])
    assert not list(path.parent.glob("*.partial"))


def test_a_backup_held_for_good_names_the_file_and_the_likely_holder(db, held_files):
    held_files(replace=99, match="backups")
    with pytest.raises(FileBusy) as caught:
        B.backup_database(db, reason="manual", check="quick")
    message = caught.value.message
    assert "backups" in message and ".db" in message and "杀毒软件" in message and "占用" in message
    assert not list((db.path.parent / "backups").glob("*.partial"))  # the clean-up still ran


def _old_manual_backups(db, count: int) -> list:
    """``count`` manual backups of ``db`` dated before today (copies of one real backup)."""
    first = B.backup_database(db, reason="manual", check="none", rotate=False)
    made = []
    for n in range(count):
        when = datetime(2020, 1, 1) + timedelta(days=n)
        dest = first.with_name(f"{db.path.stem}_{when:%Y%m%d_%H%M%S_%f}_manual.db")
        shutil.copyfile(first, dest)
        B.write_sidecar(dest)
        made.append(dest)
    return made


def test_a_pruning_refused_by_windows_does_not_fail_the_backup(db, held_files):
    old = _old_manual_backups(db, B.KEEP_PER_EVENT + 2)
    held_files(unlink=10_000, match="_manual.db")  # every old backup is held by a scanner
    path = B.backup_database(db, reason="manual", check="quick")
    assert path.exists() and B.sidecar_matches(path) is True
    assert all(p.exists() for p in old)  # nothing pruned this time; the next backup tries again
    assert any(kind == "unlink" for kind, _ in held_files.refused)
    held_files(unlink=0)
    B.prune_backups(path.parent)
    assert not old[0].exists() and not B.sidecar_path(old[0]).exists()


def test_a_restore_waits_for_a_scanner_on_the_database(db, admin, tmp_path, held_files):
    from app.db.lock import InstanceLock
    from app.db.restore import restore_database

    source = B.backup_database(db, reason="manual", check="quick")
    lock = InstanceLock(db.path).acquire()
    try:
        held_files(replace=2, match=db.path.name)
        result = restore_database(db.path, source, lock=lock, actor=admin, db=db)
        result.db.close()
    finally:
        lock.release()
    assert any(kind == "replace" for kind, _ in held_files.refused)


# -- user files (PDF, Excel) ---------------------------------------------------------------------
def test_a_pdf_held_for_a_moment_is_written(tmp_path, held_files):
    target = tmp_path / "工会会员登记表_张三.pdf"
    held_files(replace=3, match=target.name)
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"%PDF-1.4 ...")
    assert target.read_bytes() == b"%PDF-1.4 ..."
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".uniondesk-")]


def test_a_workbook_open_in_excel_is_named_as_such(tmp_path, held_files):
    target = tmp_path / "会员名单.xlsx"
    target.write_bytes(b"old")
    held_files(replace=99, match=target.name)
    with pytest.raises(AppError, match="Excel") as caught:
        with atomic_output(target) as tmp:
            tmp.write_bytes(b"new")
    assert "会员名单.xlsx" in caught.value.message
    assert target.read_bytes() == b"old"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".uniondesk-")]


def test_a_pdf_held_for_good_does_not_blame_excel(tmp_path, held_files):
    target = tmp_path / "公示名单.pdf"
    held_files(replace=99, match=target.name)
    with pytest.raises(AppError) as caught:
        with atomic_output(target) as tmp:
            tmp.write_bytes(b"new")
    assert "PDF 阅读器" in caught.value.message and "Excel" not in caught.value.message


def test_a_full_disk_is_not_reported_as_a_file_open_in_excel(tmp_path, monkeypatch):
    def replace(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(AppError) as caught:
        with atomic_output(tmp_path / "会员名单.xlsx") as tmp:
            tmp.write_bytes(b"new")
    assert "空间不足" in caught.value.message and "Excel" not in caught.value.message


# -- bundles and the identity side file ----------------------------------------------------------
def test_a_bundle_export_waits_for_a_scanner(net, held_files):
    a1, b = net["a1"], net["b"]
    held_files(replace=2, match=".udbx")
    path = a1.send(b)
    assert path.exists() and len(held_files.refused) == 2
    assert b.recv(path)


def test_the_identity_side_file_waits_for_a_scanner(net, held_files):
    from app.sync import identity

    a1 = net["a1"]
    held_files(replace=2, match=".syncstate")
    identity.note_export(a1.db, 5)
    assert len(held_files.refused) == 2
    assert identity._read_sidecar(a1.db)["exported_seq"] >= 5


def test_a_bundle_copy_to_a_stick_held_for_good_says_so(net, tmp_path, held_files):
    a1, b = net["a1"], net["b"]
    stick = tmp_path / "stick"
    stick.mkdir()
    held_files(replace=99, match=str(stick))
    with pytest.raises(FileBusy) as caught:
        from app.sync.export import export_bundle

        export_bundle(a1.db, a1.admin, a1.peer_id(b), stick)
    assert str(stick) in caught.value.message
    assert not list(stick.glob("*.part"))


def test_a_key_card_waits_for_a_scanner_and_is_never_half_written(net, tmp_path, held_files):
    """The unit's identity for its peers: written whole into place, or not at all."""
    from app.sync import service

    a1 = net["a1"]
    held_files(replace=2, match=".udcard")
    card = service.export_card(a1.db, a1.admin, tmp_path)
    assert card.suffix == ".udcard" and len(held_files.refused) == 2
    good = card.read_bytes()
    held_files(replace=99, match=".udcard")
    with pytest.raises(AppError, match="密钥卡"):
        service.export_card(a1.db, a1.admin, card)
    assert card.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".uniondesk-")] == []
