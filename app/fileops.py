"""Replacing and deleting files when another program may be holding them (Windows).

Windows refuses to replace or delete a file that another process has open. Antivirus scanners and
the search indexer open every new file for a moment; Excel, WPS and PDF readers hold the files a
person opened; backup and sync tools read for minutes. Python reports each refusal as
``PermissionError`` (WinError 5 "access denied", 32 "sharing violation", 33 "lock violation").

Every replace and delete of the app's files goes through here:

- ``replace_file`` / ``remove_file`` try again after a short back-off (``DELAYS``, about 1.5 s in
  all), then raise ``FileBusy``: a Chinese message naming the file and the program likely to hold
  it; the technical error goes to the log.
- ``discard`` is for clean-up (a temporary or partial file, rotation of old backups): the same
  back-off, then a note in the log instead of an error — a clean-up that fails must not turn a
  finished job into a failed one, nor hide the error that made the clean-up necessary.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from app.errors import AppError, log_technical

DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8)
_sleep = time.sleep  # replaced in tests

# Windows error codes that mean "another program has it open" (WinError.h)
ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION = 5, 32, 33
_IN_USE = (ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION)

_HOLDERS = {
    (".xlsx", ".xlsm", ".xls", ".csv"): "Excel 或 WPS 表格",
    (".pdf",): "PDF 阅读器、浏览器或 WPS",
    (".udbx",): "杀毒软件、资源管理器的预览或复制它的程序",
}
_DEFAULT_HOLDER = "杀毒软件、Windows 搜索索引或备份/同步软件"


class FileBusy(AppError):
    """A file could not be replaced or deleted because another program holds it (or, where the
    system cannot tell the two apart, because it is read-only)."""

    def __init__(self, path: Path | str, action: str, exc: OSError):
        self.path = Path(path)
        self.action = action
        holder = likely_holder(path)
        if getattr(exc, "winerror", None) in _IN_USE:
            self.reason = f"文件正被其他程序占用(可能是{holder})"
        else:
            self.reason = f"文件可能正被其他程序打开(如{holder}),或者只读、没有写入权限"
        super().__init__(f"无法{action}文件 {self.path}:{self.reason}。请关闭占用它的程序后重试")


def likely_holder(path: Path | str) -> str:
    suffix = Path(path).suffix.lower()
    for suffixes, holder in _HOLDERS.items():
        if suffix in suffixes:
            return holder
    return _DEFAULT_HOLDER


def _with_retries(action: str, path: Path | str, op: Callable[[], object]):
    for delay in (*DELAYS, None):
        try:
            return op()
        except PermissionError as exc:
            if delay is None:
                log_technical(f"{action} {path} refused {len(DELAYS) + 1} times", exc)
                raise FileBusy(path, action, exc) from exc
            _sleep(delay)
    raise AssertionError("unreachable")


def replace_file(src: Path | str, dst: Path | str) -> None:
    """``os.replace(src, dst)``, tried again while another program holds ``dst`` (or ``src``)."""
    _with_retries("替换", dst, lambda: os.replace(src, dst))


def remove_file(path: Path | str, *, missing_ok: bool = True) -> None:
    """Delete ``path``, tried again while another program holds it."""

    def op():
        try:
            os.unlink(path)
        except FileNotFoundError:
            if not missing_ok:
                raise

    _with_retries("删除", path, op)


def discard(path: Path | str) -> bool:
    """Delete a temporary or superseded file if possible; never raises. True when it is gone."""
    try:
        remove_file(path)
        return True
    except FileBusy:
        return False  # logged by remove_file; the next clean-up tries again
    except OSError as exc:
        log_technical(f"deleting {path}", exc)
        return False
