"""Where the app keeps its files.

Default: the user data dir (``%LOCALAPPDATA%\\UnionDesk`` on Windows). Portable mode: a file named
``portable.txt`` beside the executable keeps the data in ``data/`` beside it, for offices that run the
app from a folder. ``--db`` / ``UNIONDESK_DB`` choose the database file explicitly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

from app import APP_NAME

DB_FILE_NAME = "uniondesk.db"
PORTABLE_MARKER = "portable.txt"


def executable_dir() -> Path:
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def is_portable() -> bool:
    return (executable_dir() / PORTABLE_MARKER).exists()


def data_dir() -> Path:
    if env := os.environ.get("UNIONDESK_DATA_DIR"):
        return Path(env)
    if is_portable():
        return executable_dir() / "data"
    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


def default_db_path() -> Path:
    if env := os.environ.get("UNIONDESK_DB"):
        return Path(env)
    return data_dir() / DB_FILE_NAME


def backups_dir(db_path: Path) -> Path:
    """Backups live beside the database, so a restore never has to look elsewhere."""
    return db_path.resolve().parent / "backups"


def logs_dir() -> Path:
    return data_dir() / "logs"


def resources_dir() -> Path:
    """The ``resources/`` folder: next to the frozen exe's bundle, or at the repository root."""
    if env := os.environ.get("UNIONDESK_RESOURCES"):
        return Path(env)
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", executable_dir())) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
