"""``db check``: is this file sound? integrity_check, foreign_key_check, schema version."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from app.db.engine import sqlite_has_wal_reset_fix
from app.db.migrate import current_revision, head_revision


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
        return [
            f"完整性检查(integrity_check):{'通过' if self.integrity == ['ok'] else '失败'}",
            *[f"  {m}" for m in self.integrity if m != "ok"][:20],
            f"外键检查(foreign_key_check):{'通过' if not self.foreign_key_problems else f'{len(self.foreign_key_problems)} 处问题'}",
            *[f"  {m}" for m in self.foreign_key_problems[:20]],
            f"架构版本:{self.schema_revision}(程序要求 {self.head_revision})"
            + ("" if self.schema_revision == self.head_revision else " 不一致"),
            f"日志模式:{self.journal_mode};SQLite {self.sqlite_version}"
            + ("" if self.wal_reset_fixed else "(早于 WAL 重置修复版本,已限定单一写连接)"),
            "结论:" + ("数据库完好" if self.ok else "数据库有问题,请从备份恢复或联系技术支持"),
        ]


def db_check(db, *, quick: bool = False) -> CheckReport:
    report = CheckReport(head_revision=head_revision(), wal_reset_fixed=sqlite_has_wal_reset_fix())
    with db.raw_connection() as conn:
        pragma = "quick_check" if quick else "integrity_check"
        report.integrity = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]
        report.foreign_key_problems = [
            f"表 {t} 第 {rowid} 行引用的 {parent} 不存在"
            for t, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")
        ]
        report.journal_mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    report.schema_revision = current_revision(db)
    return report
