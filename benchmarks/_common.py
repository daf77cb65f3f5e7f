"""Shared set-up for benchmarks: a fresh initialised database in a temporary folder."""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("UNIONDESK_FAST_KDF", "1")  # login speed is not what these measure

ADMIN_PASSWORD = "Bench@2026"


def fresh_db(folder: Path, name: str = "bench.db"):
    from app.db.engine import open_database
    from app.services.setup import init_installation

    db = open_database(folder / name, create=True)
    actor = init_installation(db, unit_name="示例县总工会", unit_code="341122", level="county",
                              admin_user="admin", admin_password=ADMIN_PASSWORD)
    return db, actor


@contextmanager
def timed(label: str, results: dict):
    start = time.perf_counter()
    yield
    results[label] = time.perf_counter() - start


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def temp_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="uniondesk-bench-"))
