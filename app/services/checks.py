"""``db check``: is this file sound? integrity_check, foreign_key_check, schema version."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from app.db.engine import sqlite_has_wal_reset_fix
from app.db.migrate import head_revision
from app.errors import DatabaseError, log_technical, sqlite_file_problem


@dataclass
class CheckReport:
    integrity: list[str] = field(default_factory=list)
    foreign_key_problems: list[str] = field(default_factory=list)
    schema_revision: str | None = None
    head_revision: str = ""
    journal_mode: str = ""
    sqlite_version: str = sqlite3.sqlite_version
    wal_reset_fixed: bool = False

    @property
    def ok(self) -> bool:
        return (self.integrity == ["ok"] and not self.foreign_key_problems
                and self.schema_revision == self.head_revision)

    def lines(self) -> list[str]:
        problems = [line for m in self.integrity if m != "ok" for line in m.splitlines()]
        shown = [f"  {m}" for m in problems[:20]]
        if len(problems) > 20:
            shown.append(f"  ……共 {len(problems)} 条问题")
        return [
            f"完整性检查(integrity_check):{'通过' if self.integrity == ['ok'] else '失败'}",
            *shown,
            f"外键检查(foreign_key_check):{'通过' if not self.foreign_key_problems else f'{len(self.foreign_key_problems)} 处问题'}",
            *[f"  {m}" for m in self.foreign_key_problems[:20]],
            f"架构版本:{self.schema_revision}(程序要求 {self.head_revision})"
            + ("" if self.schema_revision == self.head_revision else " 不一致"),
            f"日志模式:{self.journal_mode};SQLite {self.sqlite_version}"
            + ("" if self.wal_reset_fixed else "(早于 WAL 重置修复版本,已限定单一写连接)"),
            "结论:" + ("数据库完好" if self.ok else "数据库有问题,请从备份恢复或联系技术支持"),
        ]


def db_check(db, *, quick: bool = False) -> CheckReport:
    """Check an open database (through its writer connection)."""
    with db.raw_connection() as conn:
        return check_connection(conn, quick=quick)


def check_file(path: Path, *, quick: bool = False) -> CheckReport:
    """Check a file without opening it as the app would (so a damaged file can still be examined)."""
    if not path.exists():
        raise DatabaseError(f"找不到数据库文件:{path}")
    conn = sqlite3.connect(path)
    try:
        return check_connection(conn, quick=quick)
    finally:
        conn.close()


def check_connection(conn: sqlite3.Connection, *, quick: bool = False) -> CheckReport:
    report = CheckReport(head_revision=head_revision(), wal_reset_fixed=sqlite_has_wal_reset_fix())
    pragma = "quick_check" if quick else "integrity_check"
    try:
        report.integrity = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]
        report.foreign_key_problems = [
            f"表 {t} 第 {rowid} 行引用的 {parent} 不存在"
            for t, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")
        ]
        report.journal_mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        report.schema_revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        if not report.integrity or report.integrity == ["ok"]:
            log_technical("db check", exc)
            report.integrity = [f"无法读取:{sqlite_file_problem(exc)}"]
    return report
