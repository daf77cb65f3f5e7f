"""Opening a database file only to read it (a backup to check or restore, a file to inspect).

- ``sqlite_uri``: the ``file:`` URI of a local path, with ``%``, ``?`` and ``#`` escaped (a folder
  named ``a%20b`` stays ``a%20b``). Built from the absolute path, not the resolved one: on Windows
  resolving a mapped drive (``Z:``) gives ``\\\\server\\share\\…``, whose URI ``file://server/share/…``
  SQLite refuses ("invalid uri authority") — which was then reported as a damaged backup.
- ``open_readonly``: a read-only connection to a file anywhere. A file on a network share or a
  mapped network drive is first copied to a local staging folder and the copy is opened (SQLite's
  locking does not work over SMB, and a backup on the office server is exactly such a file); the
  copy is deleted afterwards. ``immutable`` when no ``-wal`` is beside the file, so nothing is
  written next to it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app import storage
from app.errors import DatabaseError, log_technical, os_error_text
from app.fileops import discard

WAL = "-wal"


def sqlite_uri(path: Path | str, flags: str = "") -> str:
    uri = Path(os.path.abspath(path)).as_uri()
    return f"{uri}?{flags}" if flags else uri


def connect_readonly(path: Path | str) -> sqlite3.Connection:
    """A read-only connection to a file on a local disk (``immutable`` when it has no -wal)."""
    flags = "mode=ro" if Path(str(path) + WAL).exists() else "mode=ro&immutable=1"
    return sqlite3.connect(sqlite_uri(path, flags), uri=True)


def on_network(path: Path | str) -> bool:
    try:
        return storage.classify(Path(path)).kind == storage.REMOTE
    except OSError as exc:
        log_technical(f"classifying {path}", exc)
        return False


@contextmanager
def readable_copy(path: Path | str, near: Path | None = None) -> Iterator[Path]:
    """``path`` itself when it is on a local disk; for a file on a network share or mapped drive,
    a copy (with its -wal, if any) in a new folder under ``near`` (default: the temp folder),
    removed afterwards. Raises ``DatabaseError`` when the file cannot be copied."""
    path = Path(path)
    if not on_network(path):
        yield path
        return
    folder = Path(tempfile.mkdtemp(prefix="uniondesk-stage-", dir=near))
    local = folder / path.name
    try:
        try:
            shutil.copyfile(path, local)
            if Path(str(path) + WAL).exists():
                shutil.copyfile(str(path) + WAL, str(local) + WAL)
        except OSError as exc:
            log_technical(f"copying {path} from the network to {local}", exc)
            raise DatabaseError(f"无法从网络位置读取 {path}:{os_error_text(exc)}。"
                                "请检查网络连接,或先把文件复制到本机再选择它") from exc
        yield local
    finally:
        for leftover in folder.iterdir():
            discard(leftover)
        try:
            folder.rmdir()
        except OSError as exc:
            log_technical(f"removing {folder}", exc)


@contextmanager
def open_readonly(path: Path | str, near: Path | None = None) -> Iterator[sqlite3.Connection]:
    """A read-only connection to ``path`` wherever it is (see ``readable_copy``), closed after."""
    with readable_copy(path, near) as local:
        conn = connect_readonly(local)
        try:
            yield conn
        finally:
            conn.close()
