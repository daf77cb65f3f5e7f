"""The database handle: one SQLite file, one writer connection, short sessions.

Rules (DESIGN.md §3, reliability-and-security.md §1):
- WAL, ``synchronous=FULL``, ``foreign_keys=ON``, a busy timeout, ``secure_delete``.
- Exactly one writer connection per process, guarded by a lock: the SQLite bundled with Python 3.11
  predates the fix of the 2026 WAL-reset race, which needs two connections writing or checkpointing
  at once. Readers (the UI's lazy lists) get their own ``query_only`` connections; they never write
  and, the writer being open for the life of the handle, never run the closing checkpoint.
- Writers take the lock up front (``BEGIN IMMEDIATE``): no mid-transaction lock upgrade failures.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL, create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool, StaticPool

from app.db.sqlite_info import WAL_RESET_FIXED, sqlite_has_wal_reset_fix  # noqa: F401 (re-exported)
from app.errors import DatabaseError, log_technical, sqlite_file_problem

WRITER_PRAGMAS = (
    "journal_mode=WAL",
    "synchronous=FULL",
    "foreign_keys=ON",
    "busy_timeout=5000",
    "secure_delete=ON",
    "temp_store=MEMORY",
    "cache_size=-32768",
)
READER_PRAGMAS = ("foreign_keys=ON", "busy_timeout=5000", "query_only=ON", "temp_store=MEMORY",
                  "cache_size=-16384")


def _install_pragmas(engine: Engine, pragmas: tuple[str, ...], begin_sql: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's begin event emit BEGIN itself (the pysqlite recipe in the SQLAlchemy docs).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for p in pragmas:
            cur.execute(f"PRAGMA {p}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql(begin_sql)


def sqlite_url(path: Path | str) -> URL:
    """The engine URL of a database file, built from parts: a path is not parsed as a URL, so a
    ``%20``, ``?`` or ``#`` in a folder name stays what it is (an f-string URL turned ``%20`` into a
    space and cut the path at ``?``)."""
    return URL.create("sqlite+pysqlite", database=str(path))


def make_writer_engine(path: Path) -> Engine:
    engine = create_engine(
        sqlite_url(path),
        poolclass=StaticPool,
        connect_args={"check_same_thread": False, "timeout": 5},
    )
    _install_pragmas(engine, WRITER_PRAGMAS, "BEGIN IMMEDIATE")
    return engine


def make_reader_engine(path: Path) -> Engine:
    engine = create_engine(
        sqlite_url(path),
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
        connect_args={"check_same_thread": False, "timeout": 5},
    )
    _install_pragmas(engine, READER_PRAGMAS, "BEGIN")
    return engine


class AppSession(Session):
    """Session class that carries the acting user and this installation's identity in ``info``;
    ``app.db.tracking`` listens on it to stamp and audit every change."""


class Database:
    """An open UnionDesk database. Use ``open_database`` to get one."""

    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self.engine = engine
        self._lock = threading.RLock()
        self._reader: Engine | None = None
        self.device_id: str = ""
        self.root_unit_id: str | None = None
        self.level: str | None = None

    # -- sessions ---------------------------------------------------------------------------
    @contextmanager
    def session(self, actor=None) -> Iterator[AppSession]:
        """One unit of work on the writer connection: commits on success, rolls back on error."""
        from app.db import tracking  # noqa: F401  (registers the flush listener)

        with self._lock:
            s = AppSession(self.engine, expire_on_commit=False, info=self._info(actor))
            try:
                with s.begin():
                    yield s
            finally:
                s.close()

    @property
    def reader(self) -> Engine:
        """The read-only engine (made on first use)."""
        if self._reader is None:
            self._reader = make_reader_engine(self.path)
        return self._reader

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A read-only session on its own connection (for lists and reports off the writer)."""
        s = Session(self.reader, info=self._info(None))
        try:
            with s.begin():
                yield s
        finally:
            s.close()

    @contextmanager
    def raw_connection(self) -> Iterator[sqlite3.Connection]:
        """The writer's sqlite3 connection, for bulk work (executemany) and the backup API.
        The caller holds the lock for the duration and manages BEGIN/COMMIT itself."""
        with self._lock:
            with self.engine.connect() as conn:
                yield conn.connection.driver_connection

    def _info(self, actor) -> dict:
        return {"actor": actor, "device_id": self.device_id, "root_unit_id": self.root_unit_id,
                "db": self}

    # -- identity ---------------------------------------------------------------------------
    def load_identity(self) -> None:
        from app.models import Installation

        with self.session() as s:
            inst = s.scalar(select(Installation))
            if inst is not None:
                self.device_id = inst.device_id
                self.root_unit_id = inst.root_unit_id
                self.level = inst.level

    @property
    def initialised(self) -> bool:
        return self.root_unit_id is not None

    def close(self) -> None:
        with self._lock:
            if self._reader is not None:
                self._reader.dispose()
                self._reader = None
            self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_database(path: Path | str, *, create: bool = False, migrate: bool = True) -> Database:
    """Open (or create) the database at ``path``: refuse foreign or newer files untouched, back up
    and migrate older ones, create a new schema on an empty file."""
    from app.db import migrate as migrations

    path = Path(path)
    if not path.exists():
        if not create:
            raise DatabaseError(f"找不到数据库文件:{path}。新建数据库请先运行 uniondesk-cli init。")
        path.parent.mkdir(parents=True, exist_ok=True)
    state = migrations.inspect_file(path) if path.exists() else migrations.FileState("empty", None)
    if state.kind == "empty" and not create:
        raise DatabaseError(f"数据库文件 {path} 是空的,尚未初始化。请先运行 uniondesk-cli init。")
    engine = make_writer_engine(path)
    db = Database(path, engine)
    try:
        _open_checked(db, state, migrate, migrations)
    except (sqlite3.DatabaseError, SADatabaseError) as exc:
        db.close()
        log_technical(f"opening {path}", exc)
        raise DatabaseError(f"数据库文件 {path} 无法使用:{sqlite_file_problem(exc)}。请从备份恢复"
                            "(程序中的“恢复备份”或 uniondesk-cli restore)。") from exc
    except Exception:
        db.close()
        raise
    return db


def _open_checked(db, state, migrate, migrations) -> None:
    if state.kind == "empty":
        migrations.create_schema(db)
    else:
        # Read again through the writer: a crash may have left a newer stamp in the -wal.
        revision = migrations.current_revision(db)
        migrations.check_known(revision)
        if migrate and revision != migrations.head_revision():
            migrations.upgrade(db, revision)
    db.load_identity()


def dumps_compact(value) -> str:
    """Canonical JSON used for hashes and stored JSON columns (sorted keys, no spaces)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
