"""The SQLite library this process uses, and whether it has the fix of the 2026 WAL-reset race.

A module of its own (no SQLAlchemy) so the desktop app's start-up checks can report it before the
core's heavier modules have loaded."""

from __future__ import annotations

import sqlite3

# SQLite versions with the WAL-reset fix (3.51.3, backports 3.50.7 and 3.44.6).
WAL_RESET_FIXED = ((3, 51, 3), (3, 50, 7), (3, 44, 6))


def sqlite_has_wal_reset_fix(version: str = sqlite3.sqlite_version) -> bool:
    v = tuple(int(p) for p in version.split(".")[:3])
    return any(v >= fixed and v[:2] == fixed[:2] for fixed in WAL_RESET_FIXED) or v >= (3, 51, 3)
