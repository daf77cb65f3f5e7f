"""What the Windows programs need, checked by the frozen entry point before Qt is loaded (Qt 6
on an older Windows fails with a cryptic missing-function dialog). The installer enforces the same
(``MinVersion=10.0.17763``, ``ArchitecturesAllowed=x64compatible``); the portable zip has only this.

- Windows 10 1809 (build 17763) or later: the oldest Windows the Qt 6 in PySide6 supports.
- 64-bit: PySide6 publishes no 32-bit Windows build (a 64-bit exe does not even start on 32-bit
  Windows, so that case is Windows' own message).
"""

from __future__ import annotations

import sys

MIN_WINDOWS = (10, 0, 17763)
MIN_WINDOWS_NAME = "Windows 10 1809(内部版本 17763)"


def unsupported_windows(platform: str | None = None, version=None) -> str | None:
    """A Chinese message when this Windows is too old for the app, else None."""
    if (platform or sys.platform) != "win32":
        return None
    v = version or sys.getwindowsversion()
    if (v.major, v.minor, v.build) >= MIN_WINDOWS:
        return None
    return (f"工会工作台需要 {MIN_WINDOWS_NAME}或更新的 64 位 Windows 10/11。"
            f"本机是 Windows {v.major}.{v.minor}(内部版本 {v.build}),请先升级系统。")


def show_and_exit_code(message: str, *, windowed: bool) -> int:
    """Say ``message`` (a message box for the windowed program, stderr for the CLI); exit code 1."""
    if windowed:
        try:
            import ctypes

            ctypes.windll.user32.MessageBoxW(None, message, "工会工作台", 0x10)  # MB_ICONERROR
            return 1
        except (AttributeError, OSError):
            pass
    print(message, file=sys.stderr)
    return 1
