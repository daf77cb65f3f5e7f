"""Writing a user's output file (PDF, Excel) safely: into a temporary file beside it, renamed over
the target only when complete, so a failed, refused or cancelled job never leaves half a file.

The rename goes through ``app.fileops``: a target held open for a moment (antivirus, the indexer)
is tried again; one that stays open (Excel, a PDF reader) gets a message naming the program that
probably holds it; any other failure (a full disk, a stick pulled out) says what it is.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import AppError, log_technical, os_error_text
from app.fileops import FileBusy, discard, replace_file


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
            replace_file(tmp_path, path)
        except FileBusy as busy:
            raise AppError(f"无法写入 {path.name}:{busy.reason}。请关闭它后重试") from None
        except OSError as exc:
            log_technical(f"writing {path}", exc)
            raise AppError(f"无法写入 {path.name}:{os_error_text(exc)}") from None
    finally:
        discard(tmp_path)


def write_atomically(path: Path | str, data: bytes) -> None:
    """``path`` holds ``data`` afterwards, or (on any failure) what it held before: for the small
    files handed to people — key cards, recovery keys."""
    with atomic_output(path) as tmp:
        with open(tmp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
