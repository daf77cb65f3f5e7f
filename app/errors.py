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


# Windows error codes (WinError.h) that Python maps onto a misleading errno: a too-long path
# becomes ENOENT ("not found"), a write-protected stick EACCES ("no permission"), a pulled-out
# stick or a dropped network drive EINVAL or ENOENT. They are read first.
_WINERROR_REASONS = {
    3: "找不到该文件夹(路径不存在;U 盘或网络驱动器可能已断开)",  # ERROR_PATH_NOT_FOUND
    5: "没有访问权限(文件可能正被其他程序打开或只读,或被 Windows 安全中心的“受控文件夹访问”阻止)",
    15: "找不到该驱动器(U 盘可能已拔出)",  # ERROR_INVALID_DRIVE
    19: "磁盘或U盘有写保护,无法写入(请拨动U盘上的写保护开关,或换一个U盘)",  # ERROR_WRITE_PROTECT
    21: "设备未就绪(U 盘可能已拔出或接触不良)",  # ERROR_NOT_READY
    23: "读写出错(U盘或磁盘可能已损坏)",  # ERROR_CRC
    32: "文件正被其他程序占用(如 Excel、杀毒软件),请关闭后重试",  # ERROR_SHARING_VIOLATION
    33: "文件的一部分已被其他程序锁定,请关闭占用它的程序后重试",  # ERROR_LOCK_VIOLATION
    39: "磁盘或U盘空间不足",  # ERROR_HANDLE_DISK_FULL
    53: "找不到网络路径(网络驱动器已断开,或服务器未开机)",  # ERROR_BAD_NETPATH
    55: "网络资源已不可用(网络驱动器已断开)",  # ERROR_DEV_NOT_EXIST
    64: "网络连接已断开",  # ERROR_NETNAME_DELETED
    67: "找不到网络共享名",  # ERROR_BAD_NET_NAME
    112: "磁盘或U盘空间不足",  # ERROR_DISK_FULL
    123: "文件名、文件夹名或卷标的写法不正确(含有 \\ / : * ? \" < > | 等字符,或是 CON、NUL 之类的保留名称)",
    206: "文件名或路径过长(请换一个层级较浅的文件夹,或缩短文件名)",  # ERROR_FILENAME_EXCED_RANGE
    1006: "文件所在的卷已被外部改动(U 盘可能已拔出)",  # ERROR_FILE_INVALID
    1392: "文件或目录已损坏,无法读取(请检查磁盘)",  # ERROR_FILE_CORRUPT
    1393: "磁盘结构已损坏,无法读取(请检查磁盘)",  # ERROR_DISK_CORRUPT
}


def os_error_text(exc: OSError) -> str:
    """A plain-Chinese reason for a failed file operation (the technical text goes to the log).
    On Windows the ``winerror`` code decides, where it is known; otherwise ``errno``."""
    import errno

    winerror = getattr(exc, "winerror", None)
    if winerror in _WINERROR_REASONS:
        return _WINERROR_REASONS[winerror]
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
