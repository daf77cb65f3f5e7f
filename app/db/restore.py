"""Put a backup in place of the database, so that a crash at any moment leaves one whole database.

1. Copy the backup with the backup API to ``uniondesk.db.new`` beside the database and check the copy
   in full (integrity_check, a UnionDesk schema this version knows — an older one is migrated, a newer
   one refused —, an initialised installation, the same unit as the current database).
2. Still in the ``.new`` file: take a new device identity (the old one is appended to
   ``previous_device_ids``: the restored data goes back in time, so its change numbers must not be
   reissued under the old identity) and audit the restore in the restored chain.
3. Back up the current state (``pre-restore``; a damaged file is copied raw, with its -wal).
4. Close every connection; while holding the instance lock remove the old -wal/-shm/-journal (a
   stale -wal beside the new file would be replayed into it); ``os.replace``; reopen; quick_check.

Before step 4's rename the old database is intact; after it the new one is complete.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.config import backups_dir
from app.crashpoints import crashpoint
from app.db.backup import (
    FileCheck,
    backup_database,
    backup_name,
    check_database_file,
    copy_with_backup_api,
    fsync_dir,
    fsync_file,
    sha256_file,
    sidecar_matches,
)
from app.db.engine import Database, dumps_compact, open_database
from app.db.readonly import open_readonly
from app.errors import AppError, DatabaseError, log_technical, sqlite_file_problem
from app.fileops import remove_file, replace_file
from app.pathrules import same_path

SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass
class RestoreResult:
    db: Database  # the reopened, restored database (the caller closes it)
    source: Path
    source_sha256: str
    pre_restore_backup: Path | None
    old_device_id: str
    new_device_id: str
    revision: str | None  # the backup's schema revision before any upgrade


def _remove_with_side_files(path: Path) -> None:
    for suffix in ("", *SIDE_FILES):
        remove_file(Path(str(path) + suffix))


def stage_backup(source: Path, staging: Path) -> FileCheck:
    """Copy ``source`` to ``staging`` with the backup API and check the copy in full."""
    source = Path(source)
    if not source.is_file():
        raise DatabaseError(f"找不到备份文件 {source}")
    if sidecar_matches(source) is False:
        raise DatabaseError(f"备份文件 {source.name} 与它的校验文件(.sha256)不符:文件已损坏或被改动,不能用于恢复")
    _remove_with_side_files(staging)
    try:
        # a backup on the office server (a mapped drive) is read from a local copy
        with open_readonly(source, near=staging.parent) as src:
            copy_with_backup_api(src, staging)
    except sqlite3.DatabaseError as exc:
        _remove_with_side_files(staging)
        log_technical(f"restore: cannot read {source}", exc)
        raise DatabaseError(f"{source.name} 不能用于恢复:{sqlite_file_problem(exc)}。"
                            "请选择程序做的备份文件(在 backups 文件夹中,文件名以 .db 结尾)") from exc
    check = check_database_file(staging, full=True)
    if not check.ok:
        _remove_with_side_files(staging)
        raise DatabaseError(f"{source.name} 不是可用的工会工作台备份:{';'.join(check.problems)}")
    return check


def _take_new_identity(staging: Path, actor, source: Path, digest: str, check: FileCheck) -> tuple[str, str]:
    from app.models import Installation
    from app.security import audit

    new_device = str(uuid.uuid4())
    staged = open_database(staging)  # an older schema is upgraded here, in the copy
    try:
        old_device = staged.device_id
        staged.device_id = new_device  # stamps the audit entry below with the new identity
        with staged.session(actor) as s:
            inst = s.scalar(select(Installation))
            previous = json.loads(inst.previous_device_ids or "[]")
            if old_device and old_device not in previous:
                previous.append(old_device)
            inst.previous_device_ids = dumps_compact(previous)
            inst.device_id = new_device
            audit.append(s, action="restore", actor=actor, object_type="installation",
                         object_id=inst.root_unit_id,
                         summary=f"从备份恢复数据库:{source.name}",
                         detail={"source": str(source), "sha256": digest, "revision": check.revision,
                                 "old_device_id": old_device, "new_device_id": new_device})
    finally:
        staged.close()
    if any(Path(str(staging) + s).exists() for s in ("-wal", "-journal")):
        raise DatabaseError("恢复用的临时文件未能正常关闭,已停止恢复;原数据库未改动")
    return old_device, new_device


def _save_current(db_path: Path, db: Database | None) -> Path | None:
    """A backup of the current state before it is replaced (raw copy when it cannot be read)."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    if db is not None:
        try:
            return backup_database(db, reason="pre-restore")
        except (DatabaseError, sqlite3.DatabaseError):
            db.close()  # damaged: fall through to a raw copy of the closed files
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / backup_name(db_path, "pre-restore-damaged")
    for suffix in ("", "-wal"):
        if Path(str(db_path) + suffix).exists():
            shutil.copyfile(str(db_path) + suffix, str(dest) + suffix)
    return dest


def restore_database(db_path: Path, source: Path, *, lock, actor, db: Database | None = None,
                     expect_root_unit_id: str | None = None) -> RestoreResult:
    """Replace the database at ``db_path`` by the backup ``source``. The caller holds ``lock`` (the
    instance lock of ``db_path``) and passes its open handle as ``db`` (closed here) — no other
    connection to the file may be open. Returns the reopened database."""
    db_path = Path(db_path).absolute()
    if not lock.held or lock.db_path != db_path:
        raise RuntimeError("restore_database needs the instance lock of the database it replaces")
    source = Path(source).absolute()
    if same_path(source, db_path) or (db_path.exists() and source.exists() and source.samefile(db_path)):
        raise AppError("不能用数据库文件本身作为备份来恢复")
    staging = db_path.with_name(db_path.name + ".new")
    check = stage_backup(source, staging)
    try:
        if expect_root_unit_id and check.root_unit_id != expect_root_unit_id:
            raise DatabaseError(
                f"备份 {source.name} 属于另一个单位({check.unit_name} {check.unit_code}),"
                "不能恢复到本单位的数据库。如需查看,请用 --db 把它作为另一个数据库打开")
        crashpoint("restore.staged")
        digest = sha256_file(source)
        old_device, new_device = _take_new_identity(staging, actor, source, digest, check)
        crashpoint("restore.identity")
        pre = _save_current(db_path, db)
        if db is not None:
            db.close()
        crashpoint("restore.before-swap")
        for suffix in SIDE_FILES:  # only ever with the lock held and every connection closed
            remove_file(Path(str(db_path) + suffix))
        crashpoint("restore.side-files-removed")
        fsync_file(staging)
        replace_file(staging, db_path)
        fsync_dir(db_path.parent)
    except BaseException:
        _remove_with_side_files(staging)
        raise
    crashpoint("restore.swapped")
    restored = open_database(db_path)
    with restored.raw_connection() as conn:
        state = [r[0] for r in conn.execute("PRAGMA quick_check")]
    if state != ["ok"]:
        restored.close()
        raise DatabaseError(f"恢复后的数据库未通过快速检查({state[0]})。恢复前的数据保存在 {pre}")
    from app.sync.identity import adopt_restored

    adopt_restored(restored)  # peers get a complete bundle next time; a crash before this is
    # caught by check_identity at the next start (the side file remembers what was exported)
    return RestoreResult(restored, source, digest, pre, old_device, new_device, check.revision)
