"""Schema versions: create, check and upgrade with Alembic.

A new file gets ``create_all`` and is stamped at head (the test suite checks that running every
migration from an empty file gives the same schema). An older file is first copied with SQLite's
backup API into ``backups/``, then upgraded in one transaction with foreign keys off (batch table
rebuilds) and checked afterwards. A file stamped with a revision this program does not know was
written by a newer version: it is refused before anything touches it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from app import __version__
from app.db.readonly import sqlite_uri
from app.errors import DatabaseError, log_technical, sqlite_file_problem

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@lru_cache(maxsize=1)
def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    return script_directory().get_current_head()


def known_revisions() -> set[str]:
    return {rev.revision for rev in script_directory().walk_revisions()}


@dataclass(frozen=True)
class FileState:
    kind: str  # "empty" | "ours"
    revision: str | None


def inspect_file(path: Path) -> FileState:
    """Look at a database file read-only, so a file we refuse is left exactly as it was."""
    # A cleanly closed file has no -wal: read it as immutable, which creates no -wal/-shm files.
    wal = Path(str(path) + "-wal")
    flags = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(sqlite_uri(path, flags), uri=True)
    except sqlite3.Error as exc:
        log_technical(f"opening {path}", exc)
        raise DatabaseError(f"无法打开数据库文件 {path}:{sqlite_file_problem(exc)}") from exc
    try:
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            log_technical(f"reading {path}", exc)
            raise DatabaseError(f"文件 {path} 不是工会工作台数据库,或者已经损坏({sqlite_file_problem(exc)})。") from exc
        if not tables:
            return FileState("empty", None)
        if "alembic_version" not in tables:
            raise DatabaseError(f"文件 {path} 不是工会工作台数据库(缺少架构版本信息),未做任何改动。")
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as exc:
            log_technical(f"reading {path}", exc)
            raise DatabaseError(f"数据库文件 {path} 无法读取:{sqlite_file_problem(exc)}。请从备份恢复。") from exc
    finally:
        conn.close()
    revision = row[0] if row else None
    check_known(revision)
    return FileState("ours", revision)


def check_known(revision: str | None) -> None:
    if revision not in known_revisions():
        raise DatabaseError(
            f"此数据库由较新版本的工会工作台写入(架构版本 {revision}),本程序版本 {__version__} "
            "无法打开。请安装新版本后再打开;文件未做任何改动。"
        )


def current_revision(db) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def create_schema(db) -> None:
    import app.models  # noqa: F401  (every table registered)
    from app.db.base import Base

    with db.engine.begin() as conn:
        Base.metadata.create_all(conn)
        MigrationContext.configure(conn).stamp(script_directory(), "head")


def upgrade(db, from_revision: str | None, *, backup: bool = True) -> Path | None:
    """Back up, then migrate to head in one transaction. Returns the backup path."""
    from app.db.backup import backup_database

    saved = backup_database(db, reason=f"pre-migrate-{from_revision}") if backup else None
    cfg = alembic_config()
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection  # PRAGMA foreign_keys is a no-op inside BEGIN
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if bad:
                    raise DatabaseError(f"数据库升级后外键检查失败({len(bad)} 处),已回滚,原文件未改变。")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
    return saved
