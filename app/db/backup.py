"""Backups with SQLite's online backup API (never a file copy of a live database)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from app.clock import now_local
from app.config import backups_dir


def _slug(reason: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", reason).strip("-")[:40] or "manual"


def backup_database(db, *, reason: str = "manual", dest: Path | None = None) -> Path:
    """Write a consistent copy of ``db`` to ``dest`` (default: the backups folder beside it)."""
    if dest is None:
        folder = backups_dir(db.path)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = now_local().strftime("%Y%m%d_%H%M%S_%f")
        dest = folder / f"uniondesk_{stamp}_{_slug(reason)}.db"
    dest.parent.mkdir(parents=True, exist_ok=True)
    with db.raw_connection() as src:
        target = sqlite3.connect(dest)
        try:
            src.backup(target)
        finally:
            target.close()
    return dest
