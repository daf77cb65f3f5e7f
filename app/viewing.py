"""Files decrypted from the database for viewing in another program (a scanned 附件 opened in the
PDF or picture viewer): they go to one folder per database under the system's temporary folder,
and that folder is emptied when the program closes and again at the next start (a viewer may
still hold a file at exit, and a crash leaves them behind). Nothing personal stays in the
temporary folder longer than one session (等保 剩余信息保护).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from app.fileops import discard

PREFIX = "uniondesk-view-"


def folder(db_path: Path | str) -> Path:
    """The viewing folder of one database (two databases' sessions never clear each other's)."""
    digest = hashlib.sha256(str(Path(db_path).resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"{PREFIX}{digest}"


def write_for_viewing(db_path: Path | str, name: str, data: bytes) -> Path:
    """Write ``data`` as ``name`` into a fresh subfolder of the viewing folder; its path."""
    base = folder(db_path)
    base.mkdir(parents=True, exist_ok=True)
    target = Path(tempfile.mkdtemp(dir=base)) / name
    target.write_bytes(data)
    return target


def clear(db_path: Path | str) -> int:
    """Remove every file left for viewing (those a viewer still holds stay until the next
    start). Returns how many files remain."""
    base = folder(db_path)
    if not base.exists():
        return 0
    for path in sorted(base.rglob("*"), reverse=True):
        if path.is_file():
            discard(path)
        else:
            try:
                path.rmdir()
            except OSError:
                pass
    left = sum(1 for p in base.rglob("*") if p.is_file())
    if not left:
        shutil.rmtree(base, ignore_errors=True)
    return left
