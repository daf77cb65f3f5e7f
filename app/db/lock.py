"""One program per database: a lock file beside it (``uniondesk.db.lock``).

The lock is the operating system's (``fcntl.flock`` on Linux, ``msvcrt.locking`` on Windows), so it
disappears with the process that held it: after a crash the next start simply takes it again and
learns, from the details the dead holder left in the file, that the last session did not end
cleanly. The file holds who has the database open (pid, account, computer, since when, GUI or CLI)
so a second opener can say "已由用户 X 在本机打开". The file itself is never deleted (deleting a lock
file that another process has open races with it); a clean release empties it.

Qt-free on purpose: the GUI and the CLI share this lock, so neither can open the file while the
other has it (two processes writing or checkpointing at once is what the WAL-reset bug needs).
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app import __version__
from app.clock import now_local
from app.errors import DatabaseError

LOCK_SUFFIX = ".lock"
# Windows locks a byte range, and a locked range cannot be read by others: lock one byte far past
# the details so a second opener can still read who holds the file.
_WIN_LOCK_OFFSET = 1 << 20
PROGRAMS = {"gui": "工会工作台窗口", "cli": "命令行工具"}


def lock_path_for(db_path: Path) -> Path:
    return Path(str(Path(db_path).absolute()) + LOCK_SUFFIX)


@dataclass
class LockInfo:
    pid: int
    user: str
    host: str
    started: str  # local time, ISO
    program: str = "cli"  # "gui" | "cli"
    version: str = __version__
    extra: dict = field(default_factory=dict)  # e.g. the app account logged in (set by the GUI)

    @classmethod
    def current(cls, program: str) -> LockInfo:
        try:
            user = getpass.getuser()
        except Exception:  # no account name in the environment (services, containers)
            user = str(os.getpid())
        return cls(pid=os.getpid(), user=user, host=socket.gethostname(),
                   started=now_local().isoformat(timespec="seconds"), program=program)

    @classmethod
    def parse(cls, text: str) -> LockInfo | None:
        try:
            data = json.loads(text)
            return cls(**{k: data[k] for k in ("pid", "user", "host", "started")},
                       program=data.get("program", "cli"), version=data.get("version", ""),
                       extra=data.get("extra") or {})
        except (ValueError, KeyError, TypeError):
            return None

    def describe(self) -> str:
        """已由用户 X 在本机打开(工会工作台窗口,进程 123,自 11月25日 09:30 起)"""
        where = "本机" if self.host == socket.gethostname() else f"计算机 {self.host} 上"
        who = self.user + (f"(登录账户 {self.extra['account']})" if self.extra.get("account") else "")
        since = self.started.replace("T", " ")[5:16]
        return (f"已由用户 {who} 在{where}打开({PROGRAMS.get(self.program, self.program)},"
                f"进程 {self.pid},自 {since} 起)")


class InstanceLocked(DatabaseError):
    """Another program has this database open."""

    def __init__(self, db_path: Path, holder: LockInfo | None):
        self.holder = holder
        who = holder.describe() if holder else "已被另一个工会工作台程序打开"
        super().__init__(f"数据库 {db_path} {who}。同一个数据库同时只能由一个程序打开:"
                         "请切换到那个窗口,或先关闭它再试。")


class InstanceLock:
    """``with InstanceLock(path, "gui") as lock:`` or ``acquire()`` / ``release()``."""

    def __init__(self, db_path: Path, program: str = "cli"):
        self.db_path = Path(db_path).absolute()
        self.path = lock_path_for(self.db_path)
        self.program = program
        self.info: LockInfo | None = None
        self.stale: LockInfo | None = None  # details left by a holder that died without releasing
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> InstanceLock:
        if self.held:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # O_BINARY: Windows would open in text mode (CRLF, and reading stops at ^Z)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        if not _try_lock(fd):
            os.close(fd)
            raise InstanceLocked(self.db_path, read_holder(self.db_path))
        self._fd = fd
        self.stale = LockInfo.parse(_read_all(fd)) or None
        self.info = LockInfo.current(self.program)
        self._write()
        return self

    def annotate(self, **extra) -> None:
        """Add details for a second opener's message (the GUI: ``account=`` after login)."""
        if self.info is not None and self.held:
            self.info.extra.update(extra)
            self._write()

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)  # empty = released cleanly (a crash leaves the details behind)
        finally:
            _unlock(fd)
            os.close(fd)

    def _write(self) -> None:
        data = json.dumps(asdict(self.info), ensure_ascii=False).encode("utf-8")
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.ftruncate(self._fd, 0)
        os.write(self._fd, data)

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def read_holder(db_path: Path) -> LockInfo | None:
    """Who holds (or, if nobody does now, last held) the lock; None if unknown."""
    path = lock_path_for(db_path)
    for _ in range(5):  # the holder may be rewriting its details this very moment
        try:
            info = LockInfo.parse(path.read_text(encoding="utf-8"))
        except OSError:
            return None
        if info is not None:
            return info
        time.sleep(0.02)
    return None


def _read_all(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", errors="replace")


# The platform is looked up when locking, not at import, so the tests run the Windows branch with
# ``sys.platform`` and ``msvcrt`` faked (tests/app/test_windows_guards.py).
def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)
