"""Writing a user's output file (PDF, Excel) safely: into a temporary file beside it, renamed over
the target only when complete, so a failed, refused or cancelled job never leaves half a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import AppError, log_technical, os_error_text


@contextmanager
def atomic_output(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path to write; on success it becomes ``path``."""
    path = Path(path)
    if not path.parent.is_dir():
        raise AppError(f"文件夹不存在:{path.parent}")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".uniondesk-", suffix=path.suffix, dir=path.parent)
    except OSError as exc:
        log_technical(f"writing into {path.parent}", exc)
        raise AppError(f"无法在 {path.parent} 中写入文件({os_error_text(exc)}),请换一个文件夹") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        try:
            os.replace(tmp_path, path)
        except PermissionError:
            raise AppError(f"无法写入 {path.name}:文件可能正被其他程序(如 PDF 阅读器或 Excel)打开,"
                           "请关闭后重试") from None
    finally:
        tmp_path.unlink(missing_ok=True)
