"""Errors the user may see. Every message is plain Chinese and says what to do.

Services raise these; the CLI prints the message on one line and exits non-zero, the UI shows it in a
dialog or beside the field. Anything else reaching the top is a bug and is logged with a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping


class AppError(Exception):
    """A failure the user can understand and act on."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(AppError):
    pass


class InvalidInput(AppError):
    """A value the user typed is malformed, too weak or not one of the choices (CLI exit 2, as
    argparse's own usage errors)."""

    exit_code = 2


class PermissionDenied(AppError):
    exit_code = 3


class AuthError(AppError):
    exit_code = 4


class DatabaseError(AppError):
    """The database file cannot be used as it is (damaged, newer schema, wrong place)."""

    exit_code = 5


class ValidationFailed(InvalidInput):
    """One or more fields are wrong; ``errors`` maps field key → message."""

    def __init__(self, errors: Mapping[str, str], labels: Mapping[str, str] | None = None):
        self.errors = dict(errors)
        self.labels = dict(labels or {})
        parts = [f"{self.labels.get(k, k)}:{msg}" for k, msg in self.errors.items()]
        super().__init__(";".join(parts) or "数据校验未通过")


def storage_error_message(exc: BaseException) -> str | None:
    """A plain-Chinese explanation of an SQLite failure (locked, full, damaged), or None."""
    import sqlite3

    original = getattr(exc, "orig", exc)  # SQLAlchemy wraps the driver's exception
    if not isinstance(original, sqlite3.Error):
        return None
    text = str(original).lower()
    if "locked" in text or "busy" in text:
        return "数据库正被另一个程序占用,请稍后再试(或关闭另一个工会工作台窗口)"
    if "disk is full" in text or "database or disk is full" in text:
        return "磁盘空间不足,数据未写入。请清理磁盘后重试"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return "数据库文件已损坏,请运行 uniondesk-cli db check 检查,并从备份恢复"
    if "readonly" in text or "read-only" in text:
        return "数据库文件只读,无法写入。请检查文件权限"
    return f"数据库读写失败:{original}"


def os_error_text(exc: OSError) -> str:
    """A plain-Chinese reason for a failed file operation (the technical text goes to the log)."""
    import errno

    reasons = {
        errno.ENOENT: "找不到该文件或文件夹",
        errno.EACCES: "没有访问权限(文件可能正被其他程序打开,或只读)",
        errno.EPERM: "没有访问权限(文件可能正被其他程序打开,或只读)",
        errno.EISDIR: "这是一个文件夹,不是文件",
        errno.ENOTDIR: "路径中有一部分不是文件夹",
        errno.ENOSPC: "磁盘或U盘空间不足",
        errno.EROFS: "磁盘或U盘是只读的(可能开了写保护)",
        errno.EIO: "读写出错(U盘可能接触不良或已损坏)",
        errno.EEXIST: "文件已存在",
        errno.ENAMETOOLONG: "文件名或路径过长",
    }
    return reasons.get(getattr(exc, "errno", None), "读写文件时出错(U盘或磁盘可能已拔出、接触不良或已损坏)")


def sqlite_file_problem(exc: BaseException) -> str:
    """A plain-Chinese reason a database file (a backup, a file to restore) cannot be read."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "not a database" in text or "file is encrypted" in text:
        return "这不是数据库文件(可能选错了文件)"
    if "malformed" in text or "corrupt" in text:
        return "文件已损坏"
    if "locked" in text or "busy" in text:
        return "文件正被其他程序占用,请稍后再试"
    if "unable to open" in text:
        return "无法打开文件(找不到,或没有访问权限)"
    if "no such table" in text or "no such column" in text:
        return "不是工会工作台的数据库,或来自不兼容的版本"
    return "无法读取该文件(不是数据库文件,或已损坏)"


def log_technical(context: str, exc: BaseException | str) -> None:
    """Keep the technical text of a failure in the log file only (users see Chinese)."""
    import logging

    try:
        from app.logs import setup_logging

        setup_logging()
    except OSError:
        pass
    text = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    logging.getLogger("app").warning("%s: %s", context, text)
