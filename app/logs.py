"""Logging into a rotating file in the data dir. Never log passwords or unmasked personal data.

Each kind of program writes its own file — the window ``uniondesk.log``, the command line
``uniondesk-cli.log`` — because ``db check`` or a script runs beside an open window, and on
Windows a file another process holds open cannot be renamed: the window's rotation would fail
for as long as a command runs, and the other way round. Rotation also survives such a refusal
(two commands at once share the CLI's file): the rename is skipped, writing goes on into the
current file, and rotation is tried again a minute later — no record lost, nothing on the console.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import time
from pathlib import Path

from app.config import logs_dir

LOG_FILES = {"gui": "uniondesk.log", "cli": "uniondesk-cli.log"}
MAX_BYTES, BACKUP_COUNT = 2_000_000, 5
FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"

_program = "gui"
_handler: logging.Handler | None = None
_clock = time.monotonic


class SafeRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A ``RotatingFileHandler`` whose rollover may be refused (the file or an older one is open
    in another process): it keeps writing to the current file and tries again after
    ``retry_after`` seconds, instead of losing every later record with a traceback on stderr."""

    retry_after = 60.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._blocked_until = 0.0
        self.refusals = 0

    def shouldRollover(self, record) -> bool:  # noqa: N802 (logging's name)
        if _clock() < self._blocked_until:
            return False
        return bool(super().shouldRollover(record))

    def doRollover(self) -> None:  # noqa: N802 (logging's name)
        try:
            super().doRollover()
        except OSError:
            self.refusals += 1
            self._blocked_until = _clock() + self.retry_after
            if self.stream is None:
                self.stream = self._open()  # append to the file that could not be renamed


def set_program(kind: str) -> str:
    """Which program this process is ("gui" or "cli"): it names the log file. Returns the kind it
    replaces (``app.cli.main`` restores it, so a command run inside the tests leaves no trace)."""
    global _program
    if kind not in LOG_FILES:
        raise ValueError(f"unknown program kind {kind!r}")
    previous, _program = _program, kind
    return previous


def log_path(kind: str | None = None) -> Path:
    return logs_dir() / LOG_FILES[kind or _program]


def setup_logging(level: int = logging.INFO) -> Path:
    """Send records to this program's log file (again after ``set_program`` or a new data dir)."""
    global _handler
    path = log_path()
    if _handler is None or getattr(_handler, "baseFilename", None) != os.path.abspath(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = SafeRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                          encoding="utf-8")
        handler.setFormatter(logging.Formatter(FORMAT))
        root = logging.getLogger()
        if _handler is not None:
            root.removeHandler(_handler)
            _handler.close()
        root.addHandler(handler)
        root.setLevel(level)
        _handler = handler
    return path


def log_exception(message: str) -> Path:
    try:
        path = setup_logging()
    except OSError:
        path = Path("(无法写入日志)")
    logging.getLogger("app").exception(message)
    return path
