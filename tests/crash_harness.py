"""Crash-test harness, shared by every area that writes in bulk (demo data, Excel import, bundle import,
backup, restore).

A child process runs one ``uniondesk-cli`` command and dies mid-write, either at a named crash point
(``app.crashpoints``: ``crash_at="label:n"``, exit code 137, no clean-up at all) or by SIGKILL from
this process when a condition holds (``kill_when``: e.g. once the -wal has grown past some size).
Afterwards the test reopens the file and checks that it is sound (``assert_sound``) and that each
transaction is all-or-nothing (``snapshot`` before, compare after)::

    before = snapshot(db_path, ("members",))
    result = run_cli(db_path, "demo", "--members", "50000", crash_at="demo.members.chunk:2")
    assert result.crashed
    assert_sound(db_path)
    assert snapshot(db_path, ("members",)) == before
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CRASH_EXIT = 137


@dataclass(frozen=True)
class ChildResult:
    returncode: int
    stdout: str
    stderr: str
    killed: bool = False  # this process killed it (``kill_when``)

    @property
    def crashed(self) -> bool:
        """Died at a crash point (137) or was killed: by SIGKILL (-9 as Popen reports it) on
        POSIX, by TerminateProcess (exit code 1) on Windows."""
        return self.returncode in (CRASH_EXIT, -9) or self.killed


def child_env(*, password: str | None = None, crash_at: str | None = None,
              extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "UNIONDESK_CRASH_AT"}
    env.update(UNIONDESK_FAST_KDF="1", PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    if password is not None:
        env["UNIONDESK_PASSWORD"] = password
    if crash_at:
        env["UNIONDESK_CRASH_AT"] = crash_at
    env.update(extra or {})
    return env


def cli_argv(db_path: Path, args, user: str | None) -> list[str]:
    argv = [sys.executable, "-m", "app", "--db", str(db_path)]
    if user:
        argv += ["--user", user]
    return argv + [str(a) for a in args]


def run_cli(db_path: Path, *args, user: str | None = "admin", password: str | None = None,
            crash_at: str | None = None, env: dict | None = None, timeout: float = 300) -> ChildResult:
    """Run one CLI command in a child; ``crash_at`` arms a crash point there."""
    proc = subprocess.run(cli_argv(db_path, args, user), cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout,
                          env=child_env(password=password, crash_at=crash_at, extra=env))
    return ChildResult(proc.returncode, proc.stdout, proc.stderr)


def kill_when(db_path: Path, *args, condition: Callable[[], bool], user: str | None = "admin",
              password: str | None = None, env: dict | None = None, timeout: float = 300,
              poll: float = 0.005) -> ChildResult:
    """Run one CLI command and SIGKILL it the moment ``condition()`` is true. If the child ends
    first, its real exit code is returned (``crashed`` is then False, and the test should say so)."""
    proc = subprocess.Popen(cli_argv(db_path, args, user), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=child_env(password=password, extra=env))
    deadline = time.monotonic() + timeout
    killed = False
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if condition():
                proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up either way
                killed = True
                break
            time.sleep(poll)
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return ChildResult(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                       killed=killed and proc.returncode != 0)


def wal_bigger_than(db_path: Path, nbytes: int) -> Callable[[], bool]:
    """A ``kill_when`` condition: the write-ahead log holds more than ``nbytes`` (mid-transaction)."""
    wal = Path(f"{db_path}-wal")
    return lambda: wal.exists() and wal.stat().st_size > nbytes


@dataclass(frozen=True)
class TableState:
    rows: int
    keys: str  # hash of the primary keys in order: equal for the same generated data
    content: str  # hash of every column of every row: equal only for the very same state


def snapshot(db_path: Path, tables) -> dict[str, TableState]:
    """The state of ``tables``, read after SQLite's own recovery (a normal connection)."""
    conn = sqlite3.connect(db_path)
    try:
        state = {}
        for table in tables:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            pk = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if r[5]] or ["rowid"]
            keys, content, n = hashlib.sha256(), hashlib.sha256(), 0
            order = ", ".join(f'"{c}"' if c != "rowid" else c for c in pk)
            for row in conn.execute(f'SELECT {order}, {", ".join(chr(34) + c + chr(34) for c in cols)} '
                                    f'FROM "{table}" ORDER BY {order}'):
                n += 1
                keys.update(repr(row[:len(pk)]).encode())
                content.update(repr(row[len(pk):]).encode())
            state[table] = TableState(n, keys.hexdigest(), content.hexdigest())
        return state
    finally:
        conn.close()


def rows(db_path: Path, table: str, where: str = "1") -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f'SELECT count(*) FROM "{table}" WHERE {where}').fetchone()[0]
    finally:
        conn.close()


def assert_sound(db_path: Path) -> None:
    """integrity_check and foreign_key_check pass (after SQLite's recovery of any hot -wal)."""
    conn = sqlite3.connect(db_path)
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        foreign = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    assert integrity == ["ok"], integrity[:5]
    assert foreign == [], foreign[:5]


def corrupt(path: Path) -> None:
    """Overwrite pages in the middle of the file, as a failing disk or a bad copy would."""
    conn = sqlite3.connect(path)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    finally:
        conn.close()
    with open(path, "r+b") as f:
        for page in range(pages // 2, pages // 2 + 4):
            f.seek(page * page_size + 8)
            f.write(b"\xde\xad\xbe\xef" * (page_size // 8))
