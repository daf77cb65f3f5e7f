"""Backup and restore as user actions: permission (系统管理员, ``Perm.BACKUP``) and audit.

The mechanics live in ``app.db.backup`` and ``app.db.restore``; automatic backups (on exit, daily,
before a migration, a restore or a bundle import) need no user and are not audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.db.backup import backup_database, export_backup, sha256_file
from app.db.readonly import open_readonly
from app.errors import AuthError, DatabaseError, PermissionDenied, log_technical, sqlite_file_problem
from app.progress import NO_PROGRESS, Progress
from app.security import audit
from app.security.actor import Actor
from app.security.roles import Perm


@dataclass(frozen=True)
class BackupMade:
    path: Path  # where the user asked for it (or the backups folder)
    sha256: str
    size: int
    local: Path  # the verified copy in the backups folder


def make_backup(db, actor: Actor, out: Path | None = None, progress: Progress = NO_PROGRESS) -> BackupMade:
    """A manual backup: into the backups folder, or to ``out`` (a file or a folder on a USB stick)
    with a read-back hash check."""
    actor.require(Perm.BACKUP, "备份数据库")
    if out is not None:
        exported = export_backup(db, Path(out), progress)
        made = BackupMade(exported.path, exported.sha256, exported.path.stat().st_size, exported.local)
    else:
        path = backup_database(db, reason="manual", progress=progress)
        made = BackupMade(path, sha256_file(path), path.stat().st_size, path)
    with db.session(actor) as s:
        audit.append(s, action="backup", actor=actor, object_type="installation",
                     object_id=db.root_unit_id or "", summary=f"备份数据库到 {made.path}",
                     detail={"path": str(made.path), "sha256": made.sha256, "size": made.size})
    return made


def restore(startup, source: Path, actor: Actor):
    """恢复备份 on a running installation: the current database must belong to the same unit."""
    actor.require(Perm.BACKUP, "从备份恢复数据库")
    expect = startup.db.root_unit_id if startup.db is not None else None
    return startup.restore(source, actor=actor, expect_root_unit_id=expect)


def actor_from_backup(source: Path, username: str, password: str) -> Actor:
    """Check an administrator's password against the accounts stored in a backup. Used when the
    current database is damaged or missing, so nobody can log in to it; the restore is then audited
    in the restored database under this account."""
    from app.security.passwords import verify_password

    try:
        with open_readonly(Path(source)) as conn:  # a backup on a mapped drive: from a local copy
            row = conn.execute("SELECT id, username, role, display_name, unit_id, password_hash, active "
                               "FROM users WHERE username = ?", (username.strip(),)).fetchone()
    except DatabaseError:
        raise
    except Exception as exc:  # sqlite3 errors, a file that is not a database at all
        log_technical(f"reading the accounts of {source}", exc)
        raise DatabaseError(f"无法读取备份 {Path(source).name} 中的账户:{sqlite_file_problem(exc)}") from exc
    if row is None or not row[6] or not verify_password(row[5], password):
        raise AuthError("用户名或密码错误(按备份中的账户核对)")
    actor = Actor(user_id=row[0], username=row[1], role=row[2], display_name=row[3] or row[1],
                  unit_id=row[4])
    if not actor.can(Perm.BACKUP):
        raise PermissionDenied(f"用户 {actor.username}({actor.role_label})无权从备份恢复数据库。")
    return actor


@dataclass(frozen=True)
class CountRow:
    title: str
    current: int
    backup: int


def compare_counts(db, source: Path) -> list[CountRow]:
    """Live records per record type now and in the backup ``source``, for the restore dialog
    (types with records on either side, in the order of the tables)."""
    from app.db.backup import record_counts
    from app.fields.registry import spec_for_table

    with db.read_session() as s:
        now = record_counts(s.connection().connection.driver_connection)
    with open_readonly(Path(source)) as conn:
        then = record_counts(conn)
    out = []
    for table in dict.fromkeys([*now, *then]):
        if now.get(table) or then.get(table):
            spec = spec_for_table(table)
            out.append(CountRow(spec.title if spec else table, now.get(table, 0), then.get(table, 0)))
    return out
