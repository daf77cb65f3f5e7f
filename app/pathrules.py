"""File-name and path rules that differ on Windows, as plain functions of the platform (so the
Windows rules run in the tests on Linux too).

- Windows (and macOS) compare names without regard to case: ``County.db`` and ``county.db`` are
  one file, and their backups are one set.
- Windows reserves device names — CON, PRN, AUX, NUL, COM1–COM9, LPT1–LPT9 (also ¹²³), CONIN$,
  CONOUT$ — with any extension (``CON.pdf``) and with trailing spaces or dots: such a file cannot be
  created, or on older versions the write goes to the device.
- The characters ``<>:"/\\|?*`` and control characters are refused, and a trailing dot or space is
  silently dropped.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{device}{n}" for device in ("COM", "LPT") for n in "123456789¹²³"}
)
FORBIDDEN_CHARS = '<>:"/\\|?*'
STEM_MAX = 80  # characters: a name in a user's folder stays well inside Windows' 260-character path


def case_insensitive(platform: str | None = None) -> bool:
    return (platform or sys.platform) in ("win32", "cygwin", "darwin")


def name_key(name: str, platform: str | None = None) -> str:
    """What two names are compared by on ``platform``."""
    return name.casefold() if case_insensitive(platform) else name


def same_name(a: str, b: str, platform: str | None = None) -> bool:
    return name_key(a, platform) == name_key(b, platform)


def same_path(a: Path | str, b: Path | str, platform: str | None = None) -> bool:
    """The same file by name (absolute, normalised; case-insensitively where the system is)."""
    return same_name(os.path.normpath(os.path.abspath(a)), os.path.normpath(os.path.abspath(b)), platform)


def is_reserved_name(name: str) -> bool:
    """``CON``, ``con.pdf``, ``NUL .txt``, ``COM1.tar.gz`` …: a device name on Windows."""
    base = name.split(".", 1)[0].rstrip(" .")
    return base.upper() in RESERVED_NAMES


def safe_stem(*parts: str) -> str:
    """A file name (without suffix) from parts joined by "_": no character Windows refuses, no
    control character, no trailing dot or space, not a device name, at most ``STEM_MAX`` long."""
    stem = "_".join("".join("-" if c in FORBIDDEN_CHARS or ord(c) < 32 else c for c in str(p))
                    for p in parts if p)
    stem = stem[:STEM_MAX].rstrip(". ") or "_"
    if is_reserved_name(stem):  # CON → CON_, CON.备注 → CON_.备注
        dot = stem.find(".")
        stem = f"{stem}_" if dot < 0 else f"{stem[:dot]}_{stem[dot:]}"
    return stem
