"""The start-up sequence shared by the GUI and the CLI (reliability-and-security.md §1):

1. refuse a database on a network share, a removable drive or a CD (before touching anything);
2. take the instance lock (one program per database; a lock left by a crash is taken over);
3. report the SQLite library (whether it has the WAL-reset fix; the store keeps one writer
   connection per process either way, and the lock keeps other processes out);
4. check free disk space (≥ 3× the database, so backups and import staging cannot fill the disk);
5. ``quick_check``; when the file is damaged, find the latest good backup to offer (never repair
   silently: the UI asks);
6. open (migrations run inside ``open_database`` after their own backup).

``preflight(path)`` runs the checks and returns findings; ``Startup`` adds the lock, opening,
restoring and the backup on exit::

    start = Startup(path, program="gui")
    report = start.begin()              # raises InstanceLocked when another program has it
    if report.damaged and report.restore_candidate:  # ask; an administrator of the backup signs
        actor = backups.actor_from_backup(report.restore_candidate.path, username, password)
        start.restore(report.restore_candidate.path, actor=actor)
    elif report.errors: show(report.errors); start.close(); return
    db = start.open(create=first_run)
    ...
    start.close()                       # backup on exit, close, release the lock
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from app import storage
from app.db.backup import BackupInfo, backup_on_exit, check_database_file, latest_good_backup
from app.db.lock import InstanceLock
from app.db.readonly import sqlite_uri
from app.db.sqlite_info import sqlite_has_wal_reset_fix
from app.errors import DatabaseError, log_technical, sqlite_file_problem
from app.progress import NO_PROGRESS

ERROR, WARNING, INFO = "error", "warning", "info"
INTEGRITY_CODES = frozenset({"damaged", "unreadable", "newer_schema", "not_ours"})
MIN_FREE_BYTES = 200 * 1024 * 1024
SPACE_FACTOR = 3


@dataclass(frozen=True)
class Finding:
    level: str  # ERROR | WARNING | INFO
    code: str  # network_share, removable, optical, synced_folder, low_space, sqlite, damaged, not_ours, newer_schema
    message: str


@dataclass
class PreflightReport:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    location: storage.Location | None = None
    restore_candidate: BackupInfo | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def damaged(self) -> bool:
        return any(f.code == "damaged" for f in self.findings)

    def lines(self) -> list[str]:
        marks = {ERROR: "错误", WARNING: "警告", INFO: "信息"}
        return [f"{marks[f.level]}:{f.message}" for f in self.findings]


# -- the checks ----------------------------------------------------------------------------------
_LOCATION_MESSAGES = {
    storage.REMOTE: ("network_share",
                     "数据库 {path} 位于网络共享或映射的网络驱动器({detail})上。SQLite 数据库放在网络共享上会损坏,"
                     "本程序拒绝打开。请把数据库放在本机硬盘上;多台电脑之间用“数据交换”传递数据。"),
    storage.REMOVABLE: ("removable",
                        "数据库 {path} 位于 U 盘或移动硬盘({detail})上。这类设备断电或拔出时常丢失已写入的数据,"
                        "本程序拒绝在上面直接打开数据库。请先把它复制或恢复到本机硬盘(“恢复备份”)再打开。"),
    storage.OPTICAL: ("optical", "数据库 {path} 位于光盘({detail})上,无法写入。请先复制到本机硬盘。"),
}


def location_findings(path: Path, location: storage.Location) -> list[Finding]:
    if location.kind in _LOCATION_MESSAGES:
        code, text = _LOCATION_MESSAGES[location.kind]
        return [Finding(ERROR, code, text.format(path=path, detail=location.detail))]
    return []


def synced_findings(path: Path, roots: list[str] | None = None) -> list[Finding]:
    """A warning (not a refusal) for a database in a folder OneDrive synchronises."""
    root = storage.synced_folder(path, roots)
    if root is None:
        return []
    from app.config import DB_FILE_NAME, data_dir

    return [Finding(WARNING, "synced_folder",
                    f"数据库 {path} 位于 OneDrive 同步的文件夹({root})中。同步程序会在本程序写入时上传、替换或"
                    "清理本地副本,数据库可能像放在网络共享上一样损坏。请把数据库移到不同步的文件夹,"
                    f"例如默认位置 {data_dir() / DB_FILE_NAME}(先做备份,再在新位置“恢复备份”)。")]


def sqlite_findings(version: str = sqlite3.sqlite_version) -> list[Finding]:
    if sqlite_has_wal_reset_fix(version):
        return [Finding(INFO, "sqlite", f"SQLite {version}(已含 WAL 重置修复)")]
    return [Finding(INFO, "sqlite", f"SQLite {version} 早于 WAL 重置问题的修复版本(3.51.3、3.50.7、3.44.6),"
                                    "程序只使用一个写连接,不受影响")]


def space_findings(path: Path, *, free: int | None = None) -> list[Finding]:
    size = storage.database_bytes(path)
    need = max(SPACE_FACTOR * size, MIN_FREE_BYTES)
    free = storage.free_bytes(path.parent) if free is None else free
    if free < need:
        return [Finding(WARNING, "low_space",
                        f"数据库所在磁盘只剩 {_mb(free)} 可用空间(数据库 {_mb(size)},建议至少 {_mb(need)})。"
                        "空间不足时备份和导入会失败,请清理磁盘。")]
    return []


def integrity_findings(path: Path) -> tuple[list[Finding], BackupInfo | None]:
    """quick_check the file; when damaged, the newest good backup to offer."""
    if not path.exists() or path.stat().st_size == 0:
        return [], None
    try:
        conn = sqlite3.connect(path)  # read-write: a crash may have left a -wal to recover
    except sqlite3.Error as exc:
        log_technical(f"opening {path}", exc)
        return [Finding(ERROR, "unreadable", f"无法打开数据库 {path}:{sqlite_file_problem(exc)}")], None
    try:
        conn.execute("PRAGMA query_only=ON")
        check = check_database_file(path, full=False, conn=conn)
    finally:
        conn.close()
    problem = ";".join(check.problems)
    if check.code in ("ok", "uninitialised"):  # a new file waits for the first-run set-up
        return [], None
    if check.code == "newer_schema":
        return [Finding(ERROR, check.code, f"数据库 {path} {problem}。请安装新版本。")], None
    if check.code == "not_ours":
        return [Finding(ERROR, check.code, f"文件 {path} {problem},未做任何改动。")], None
    candidate = latest_good_backup(path)
    offer = (f"可以从最近的完好备份恢复:{candidate.path.name}(备份于 "
             f"{candidate.taken_at:%Y-%m-%d %H:%M})。" if candidate else "没有找到可用的备份,请联系技术支持。")
    return [Finding(ERROR, "damaged", f"数据库 {path} 已损坏({problem})。{offer}")], candidate


def preflight(path: Path, *, integrity: bool = True, classify=None) -> PreflightReport:
    """Every start-up check on ``path``; ``classify`` is injectable for tests. The integrity check
    opens the file, so call this with the instance lock held (``Startup.begin`` does)."""
    path = Path(path).absolute()
    report = PreflightReport(path)
    report.location = (classify or storage.classify)(path.parent)
    report.findings += location_findings(path, report.location)
    if report.errors:
        return report  # leave a file on a share or stick alone
    report.findings += synced_findings(path)
    report.findings += sqlite_findings()
    report.findings += space_findings(path)
    if integrity:
        found, report.restore_candidate = integrity_findings(path)
        report.findings += found
    return report


@dataclass(frozen=True)
class Probe:
    kind: str  # "missing" | "new" (no installation yet) | "ready" | "unknown"
    unit_name: str = ""


def probe(path: Path) -> Probe:
    """A read-only look at the file before it is opened (the login window's unit name), that
    never writes (no -wal is created)."""
    if not path.exists() or path.stat().st_size == 0:
        return Probe("missing")
    flags = "mode=ro" if Path(str(path) + "-wal").exists() else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(sqlite_uri(path, flags), uri=True)
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


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB" if n < 10 * 1024 ** 3 else f"{n / 1024 ** 3:,.1f} GB"


# -- the sequence --------------------------------------------------------------------------------
class StorageRefused(DatabaseError):
    """The database is somewhere the app will not open it (network share, removable drive)."""


class Startup:
    """Lock, checks, open, restore and close for one database — the GUI's and the CLI's path."""

    def __init__(self, path: Path, *, program: str = "gui", classify=None):
        self.path = Path(path).absolute()
        self.lock = InstanceLock(self.path, program)
        self.db = None
        self.report: PreflightReport | None = None
        self._classify = classify

    def begin(self, *, integrity: bool = True) -> PreflightReport:
        """Location first (nothing written on a share), then the lock, then the other checks."""
        report = preflight(self.path, integrity=False, classify=self._classify)
        if report.errors:
            self.report = report
            return report
        self.lock.acquire()
        from app import viewing

        viewing.clear(self.path)  # attachments a crash or a busy viewer left for viewing
        self.report = report
        if integrity:
            self.check_integrity()
        return report

    def check_integrity(self) -> PreflightReport:
        """``quick_check`` with the lock held; a damaged file gets the backup to offer. The GUI
        runs this on a worker thread while the login window is already up."""
        if not self.lock.held or self.report is None:
            raise RuntimeError("Startup.check_integrity() before begin()")
        found, self.report.restore_candidate = integrity_findings(self.path)
        # a second check (after a failed restore) replaces the first one's findings
        self.report.findings = [f for f in self.report.findings if f.code not in INTEGRITY_CODES] + found
        return self.report

    def open(self, *, create: bool = False):
        from app.db.engine import open_database

        if not self.lock.held:
            raise RuntimeError("Startup.open() before begin()")
        if self.report is not None and self.report.errors:
            first = self.report.errors[0]
            refused = first.code in {code for code, _ in _LOCATION_MESSAGES.values()}
            raise (StorageRefused if refused else DatabaseError)(first.message)
        self.db = open_database(self.path, create=create)
        if self.db.initialised:
            from app.sync.identity import check_identity

            # a copied file or an older restore takes a new device id before it writes anything
            self.identity_change = check_identity(self.db)
            from app.sync.leftovers import clean_leftovers

            clean_leftovers(self.db)  # copies a killed import left in bundles/in
            from app.sync.repair import repair_version_vectors

            repair_version_vectors(self.db)  # once per version: vectors an earlier version garbled
        return self.db

    def restore(self, source: Path, *, actor, expect_root_unit_id: str | None = None):
        """Replace the database by ``source`` (the damaged-file offer, or 恢复备份)."""
        from app.db.restore import restore_database

        result = restore_database(self.path, source, lock=self.lock, actor=actor, db=self.db,
                                  expect_root_unit_id=expect_root_unit_id)
        self.db = result.db
        self.report = PreflightReport(self.path, location=self.report.location if self.report else None)
        return result

    def close(self, *, backup: bool = True, progress=None):
        """Back up on exit (GUI), close, release the lock. Returns the backup path, if any."""
        saved = None
        try:
            if self.db is not None and backup:
                saved = backup_on_exit(self.db, progress or NO_PROGRESS)
        finally:
            if self.db is not None:
                self.db.close()
                self.db = None
            from app import viewing

            viewing.clear(self.path)  # decrypted attachments opened for viewing
            self.lock.release()
        return saved
