"""Logging into a rotating file in the data dir. Never log passwords or unmasked personal data."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from app.config import logs_dir

_configured = False


def setup_logging(level: int = logging.INFO) -> Path:
    global _configured
    folder = logs_dir()
    path = folder / "uniondesk.log"
    if not _configured:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5,
                                                       encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(level)
        _configured = True
    return path


def log_exception(message: str) -> Path:
    try:
        path = setup_logging()
    except OSError:
        path = Path("(无法写入日志)")
    logging.getLogger("app").exception(message)
    return path
