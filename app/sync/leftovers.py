"""Leftovers in ``bundles/in``: an import copies the bundle there first and keeps the copy once the
import is recorded (``sync_bundles``). A copy no record names is what a killed or failed import
left behind (a 28 MB bundle each time); the start-up removes them, with the instance lock held, so
no import of another program is running.

A file is kept when its size and SHA-256 are those of a recorded incoming bundle; the hash is only
computed for files whose size matches one, so the start-up reads nothing else.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import select

log = logging.getLogger(__name__)


def clean_leftovers(db) -> int:
    """Remove unrecorded copies from ``bundles/in``; returns how many were removed."""
    from app.fileops import discard
    from app.models import SyncBundle
    from app.sync.container import file_sha256

    folder = Path(db.path).resolve().parent / "bundles" / "in"
    if not folder.is_dir():
        return 0
    with db.read_session() as s:
        recorded = {(size, sha) for size, sha in s.execute(
            select(SyncBundle.file_size, SyncBundle.file_sha256).where(SyncBundle.direction == "in"))}
    sizes = {size for size, _ in recorded}
    removed = 0
    for path in folder.iterdir():
        if not path.is_file():
            continue
        try:
            size = path.stat().st_size
            if size in sizes and (size, file_sha256(path)) in recorded:
                continue
        except OSError:
            continue  # held open by someone: left for the next start
        if discard(path):
            removed += 1
    if removed:
        log.info("removed %d unrecorded bundle copies from %s", removed, folder)
    return removed
