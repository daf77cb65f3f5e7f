"""Backups with SQLite's online backup API (never a file copy of a live database).

Every backup lands in the ``backups/`` folder beside the database as
``<database name>_<date>_<time>_<micro>_<reason>.db`` (``uniondesk_20261125_…_exit.db``; the name
keeps the backups of two databases kept in one folder apart): written to a ``.partial`` file,
switched to a single self-contained file (``journal_mode=DELETE``), checked, flushed, renamed, and
given a ``.sha256`` sidecar (``sha256sum -c`` format). A manual backup is checked with the full
``integrity_check``; automatic ones (on exit, daily, before a migration, import or restore) with
``quick_check``, because the full check of a million-member copy takes over a minute — too long
to make someone wait at closing time (benchmarks/bench_startup.py). Rotation keeps the newest
periodic backup (on exit, daily) of each of the last 7 days, 4 weeks and 12 months, plus the last
10 of each event kind (pre-migrate, pre-import, pre-restore, manual). A manual backup to a chosen place (a USB stick)
is made locally first, copied, flushed, read back and compared by hash.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from app.clock import now_local
from app.config import backups_dir
from app.crashpoints import crashpoint
from app.db.readonly import connect_readonly, open_readonly, sqlite_uri  # noqa: F401 (re-exported)
from app.errors import AppError, DatabaseError, log_technical, os_error_text, sqlite_file_problem
from app.fileops import FileBusy, discard, remove_file, replace_file
from app.pathrules import name_key, same_name
from app.progress import NO_PROGRESS, Progress

PERIODIC_REASONS = ("exit", "daily")
LARGE_CHANGE = 500  # records: a change at least this large is followed by a backup
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, KEEP_PER_EVENT = 7, 4, 12, 10
SIDECAR = ".sha256"
_NAME = re.compile(r"^(.+)_(\d{8}_\d{6}_\d{6})_([A-Za-z0-9_.-]+)\.db$")
_CHUNK = 1 << 20


def _slug(reason: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", reason).strip("-")[:40] or "manual"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    stem: str = "uniondesk"  # the name of the database it copies

    @property
    def kind(self) -> str:
        """"periodic", or the event it was taken for ("pre-migrate", "pre-import", "manual" …)."""
        if self.reason in PERIODIC_REASONS:
            return "periodic"
        m = re.match(r"(pre|after)-[a-z]+", self.reason)
        return m.group(0) if m else self.reason

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    @classmethod
    def from_path(cls, path: Path) -> BackupInfo | None:
        m = _NAME.match(path.name)
        if not m:
            return None
        return cls(path, datetime.strptime(m.group(2), "%Y%m%d_%H%M%S_%f"), m.group(3), m.group(1))


# -- checking a file -----------------------------------------------------------------------------
@dataclass
class FileCheck:
    """What a database file is: sound? ours? which schema and unit?"""

    path: Path
    problems: list[str] = field(default_factory=list)
    code: str = "ok"  # ok | missing | unreadable | damaged | not_ours | newer_schema | uninitialised
    revision: str | None = None
    root_unit_id: str | None = None
    unit_name: str = ""
    unit_code: str = ""
    device_id: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def fail(self, code: str, problem: str) -> FileCheck:
        self.code = code
        self.problems.append(problem)
        return self


def check_database_file(path: Path, *, full: bool = True, identity: bool = True,
                        conn: sqlite3.Connection | None = None) -> FileCheck:
    """``integrity_check`` (or ``quick_check``); with ``identity``, also: a UnionDesk schema this
    version knows, and an initialised installation. A file on a network share or mapped drive is
    checked in a local copy (``app.db.readonly``)."""
    result = FileCheck(Path(path))
    if conn is None and not Path(path).is_file():
        return result.fail("missing", f"找不到文件 {path}")
    if conn is not None:
        return _check_connection(result, conn, full, identity)
    try:
        with open_readonly(path) as own:
            return _check_connection(result, own, full, identity)
    except sqlite3.DatabaseError as exc:  # not even a database header
        log_technical(f"checking {path}", exc)
        return result.fail("damaged", f"无法读取:{sqlite_file_problem(exc)}")
    except DatabaseError as exc:  # the copy from the network failed: unread, not damaged
        return result.fail("unreadable", exc.message)


def _check_connection(result: FileCheck, conn: sqlite3.Connection, full: bool, identity: bool) -> FileCheck:
    from app.db.migrate import known_revisions

    path = result.path
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA {'integrity_check' if full else 'quick_check'}")]
        if rows != ["ok"]:
            return result.fail("damaged", "完整性检查未通过:" + ";".join(rows[:3]))
        if not identity:
            return result
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "installation"} <= tables:
            return result.fail("not_ours", "不是工会工作台数据库")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        result.revision = row[0] if row else None
        if result.revision not in known_revisions():
            return result.fail("newer_schema",
                               f"由较新版本的工会工作台写入(架构版本 {result.revision}),本程序无法使用")
        inst = conn.execute(
            "SELECT i.root_unit_id, i.device_id, u.name, u.code FROM installation i "
            "LEFT JOIN units u ON u.id = i.root_unit_id").fetchone()
        if inst is None:
            return result.fail("uninitialised", "数据库尚未初始化(没有本单位信息)")
        result.root_unit_id, result.device_id = inst[0], inst[1]
        result.unit_name, result.unit_code = inst[2] or "", inst[3] or ""
    except sqlite3.DatabaseError as exc:
        log_technical(f"checking {path}", exc)
        result.fail("damaged", f"无法读取:{sqlite_file_problem(exc)}")
    return result


# -- hashes --------------------------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR)


def write_sidecar(path: Path, digest: str | None = None) -> str:
    digest = digest or sha256_file(path)
    tmp = sidecar_path(path).with_suffix(".tmp")
    tmp.write_text(f"{digest}  {path.name}\n", encoding="ascii")
    replace_file(tmp, sidecar_path(path))
    return digest


def sidecar_matches(path: Path) -> bool | None:
    """True/False when a sidecar exists, None when there is none."""
    side = sidecar_path(path)
    if not side.exists():
        return None
    try:
        expected = side.read_text(encoding="ascii").split()[0].lower()
    except (OSError, IndexError, UnicodeDecodeError):
        return False
    return expected == sha256_file(path)


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles to flush)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- making backups ------------------------------------------------------------------------------
def copy_with_backup_api(src: sqlite3.Connection, dest: Path, progress: Progress = NO_PROGRESS,
                         *, pages: int = 16384) -> None:
    """A consistent snapshot of ``src`` into a new single file ``dest``, in steps of 64 MB so a
    progress bar moves (and 取消 works) on a large database; ``pages=-1``: in one step."""

    def report(_status, remaining, total):
        progress.update(total - remaining, total, "正在备份数据库")

    target = sqlite3.connect(dest)
    try:
        src.backup(target, pages=pages, progress=report)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal to lose
    finally:
        target.close()


def backup_database(db, *, reason: str = "manual", dest: Path | None = None, check: str | None = None,
                    rotate: bool = True, progress: Progress = NO_PROGRESS,
                    concurrent: bool = False) -> Path:
    """Write a checked, consistent copy of ``db`` (default: into the backups folder, rotated).
    ``check``: "full" (integrity_check; default for manual backups), "quick" (quick_check; default
    for automatic ones) or "none". ``concurrent``: copy from a read-only connection in one step (a
    WAL snapshot) instead of the writer's, so saves made meanwhile do not wait — for the backup
    the desktop app takes in the background while people work."""
    check = check or ("full" if reason == "manual" else "quick")
    in_folder = dest is None
    if dest is None:
        folder = backups_dir(db.path)
        dest = folder / backup_name(db.path, reason)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    remove_file(partial)
    try:
        if concurrent:
            src = sqlite3.connect(sqlite_uri(db.path, "mode=ro"), uri=True)
            try:
                copy_with_backup_api(src, partial, progress, pages=-1)
            finally:
                src.close()
        else:
            with db.raw_connection() as src:
                copy_with_backup_api(src, partial, progress)
        crashpoint("backup.copied")
        if check != "none":
            progress.update(progress.done, progress.total, "正在校验备份")
            result = check_database_file(partial, full=check == "full", identity=False)
            if not result.ok:
                raise DatabaseError(f"备份文件校验失败({';'.join(result.problems)}),未保存该备份。"
                                    "数据库本身可能已损坏,请运行 uniondesk-cli db check")
        fsync_file(partial)
        replace_file(partial, dest)
        fsync_dir(dest.parent)
    except BaseException:
        discard(partial)
        raise
    write_sidecar(dest)
    crashpoint("backup.done")
    if in_folder and rotate:
        try:
            prune_backups(dest.parent)
        except Exception as exc:  # the backup is made: a failed clean-up must not undo that
            log_technical(f"pruning backups in {dest.parent}", exc)
    return dest


def backup_on_exit(db, progress: Progress = NO_PROGRESS) -> Path | None:
    """The automatic backup when the program closes (the GUI calls this on close)."""
    if not getattr(db, "initialised", False):
        return None
    return backup_database(db, reason="exit", progress=progress)


def after_large_change(db, rows: int, what: str) -> Path | None:
    """A backup after a change of at least ``LARGE_CHANGE`` records (demo data, an Excel or
    bundle import), so the next mistake can go back to just after it. The change is made either
    way: a backup that fails is logged, not raised."""
    if rows < LARGE_CHANGE or not getattr(db, "initialised", False):
        return None
    try:
        return backup_database(db, reason=f"after-{what}", check="quick")
    except Exception as exc:  # noqa: BLE001 - the change stands; the log says why no backup
        log_technical(f"backup after {what} of {rows} records", exc)
        return None


def backup_on_switch(db, progress: Progress = NO_PROGRESS) -> Path | None:
    """The backup when one user hands the PC to the next (切换用户)."""
    if not getattr(db, "initialised", False):
        return None
    return backup_database(db, reason="switch-user", check="quick", progress=progress)


def record_counts(conn) -> dict[str, int]:
    """Live records per travelling table of an open database (sqlite3 connection)."""
    from app.db.base import synced_tables

    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {t.name: conn.execute(f"SELECT count(*) FROM {t.name} WHERE deleted = 0").fetchone()[0]
            for t in synced_tables() if t.name in have}


def ensure_recent_backup(db, *, max_age: timedelta = timedelta(days=1),
                         concurrent: bool = False) -> Path | None:
    """A periodic backup unless one is younger than ``max_age`` (the GUI once a day after login,
    in the background with ``concurrent``; the CLI after a command that changed something, at most
    once an hour)."""
    if not getattr(db, "initialised", False):
        return None
    newest = next((b for b in list_backups(db.path) if b.kind == "periodic"), None)
    if newest is not None and now_local() - newest.taken_at < max_age:
        return None
    return backup_database(db, reason="daily", concurrent=concurrent)


# -- listing and rotation ------------------------------------------------------------------------
def backup_name(db_path: Path, reason: str) -> str:
    return f"{Path(db_path).stem}_{now_local():%Y%m%d_%H%M%S_%f}_{_slug(reason)}.db"


def _scan(folder: Path) -> list[BackupInfo]:
    return [b for p in folder.iterdir() if p.is_file() and (b := BackupInfo.from_path(p))]


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Backups of ``db_path`` in the folder beside it, newest first (``County.db`` and
    ``county.db`` are one file on Windows, and so are their backups)."""
    folder = backups_dir(Path(db_path))
    if not folder.is_dir():
        return []
    found = [b for b in _scan(folder) if same_name(b.stem, Path(db_path).stem)]
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def _latest_per_bucket(items: list[BackupInfo], key, count: int) -> list[BackupInfo]:
    kept, seen = [], set()
    for b in items:  # newest first: the first one seen in a bucket is its newest
        bucket = key(b.taken_at)
        if bucket not in seen:
            if len(seen) == count:
                break
            seen.add(bucket)
            kept.append(b)
    return kept


def backups_to_keep(items: list[BackupInfo]) -> set[Path]:
    items = sorted(items, key=lambda b: b.taken_at, reverse=True)
    periodic = [b for b in items if b.kind == "periodic"]
    keep = set()
    for key, count in ((lambda t: t.date(), KEEP_DAILY),
                       (lambda t: tuple(t.isocalendar())[:2], KEEP_WEEKLY),
                       (lambda t: (t.year, t.month), KEEP_MONTHLY)):
        keep.update(b.path for b in _latest_per_bucket(periodic, key, count))
    by_kind: dict[str, list[BackupInfo]] = {}
    for b in items:
        if b.kind != "periodic":
            by_kind.setdefault(b.kind, []).append(b)
    for group in by_kind.values():
        keep.update(b.path for b in group[:KEEP_PER_EVENT])
    return keep


def prune_backups(folder: Path) -> list[Path]:
    """Delete the backups the rotation no longer keeps (and partial files left by a crash);
    the backups of each database in the folder are rotated on their own."""
    infos = _scan(folder)
    keep: set[Path] = set()
    for stem in {name_key(b.stem) for b in infos}:
        keep |= backups_to_keep([b for b in infos if name_key(b.stem) == stem])
    removed = []
    for b in infos:
        if b.path not in keep:
            # a copy held open (antivirus, a USB copy in progress) stays until the next rotation
            if discard(b.path):
                for extra in (sidecar_path(b.path), Path(f"{b.path}-wal"), Path(f"{b.path}-shm")):
                    discard(extra)
                removed.append(b.path)
    for leftover in folder.glob("*.partial"):
        try:
            stale = time.time() - leftover.stat().st_mtime > 3600  # not one being written now
        except OSError:
            continue
        if stale:
            discard(leftover)
    return removed


def latest_good_backup(db_path: Path, *, limit: int = 20) -> BackupInfo | None:
    """The newest backup that matches its hash, passes ``quick_check`` and can be opened by this
    version: what the start-up check offers when the database is damaged."""
    for b in list_backups(db_path)[:limit]:
        if b.reason.endswith("damaged") or sidecar_matches(b.path) is False:
            continue
        if check_database_file(b.path, full=False).ok:
            return b
    return None


# -- a copy to a chosen place (USB stick) --------------------------------------------------------
@dataclass(frozen=True)
class ExportedBackup:
    path: Path  # the copy at the chosen place
    local: Path  # the verified copy kept in the backups folder
    sha256: str


def export_backup(db, dest: Path, progress: Progress = NO_PROGRESS) -> ExportedBackup:
    """Back up locally, copy to ``dest`` (a file, or a folder such as a USB stick's root), flush,
    read it back and compare hashes: USB sticks lie about flushes and some lie about capacity."""
    dest = Path(dest)
    if not dest.is_dir() and dest.exists():
        raise AppError(f"目标文件 {dest} 已存在,请换一个文件名")
    local = backup_database(db, reason="manual", progress=progress)
    if dest.is_dir():
        dest = dest / local.name
    if dest.exists():
        raise AppError(f"目标文件 {dest} 已存在,请换一个文件名")
    digest = sha256_file(local)
    partial = dest.with_name(dest.name + ".partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(local, "rb") as src, open(partial, "wb") as out:
            shutil.copyfileobj(src, out, _CHUNK)
            out.flush()
            os.fsync(out.fileno())
        replace_file(partial, dest)
        fsync_dir(dest.parent)
    except FileBusy:
        discard(partial)
        raise
    except OSError as exc:
        discard(partial)
        log_technical(f"copying the backup to {dest}", exc)
        raise AppError(f"无法写入 {dest}:{os_error_text(exc)}。请检查 U 盘是否已插好、是否写保护、空间是否足够") from exc
    if sha256_file(dest) != digest:
        discard(dest)
        raise AppError(f"写入 {dest} 后读回的内容与原备份不一致,该 U 盘可能有问题(请换一个 U 盘)。"
                       f"本机备份仍保存在 {local}")
    write_sidecar(dest, digest)
    return ExportedBackup(dest, local, digest)
