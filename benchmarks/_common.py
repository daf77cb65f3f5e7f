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


def clerk(db, admin, username: str = "bench_clerk"):
    """A 经办人 (clerk) account: prints and exports need a role that may reveal and export."""
    from app.models import User
    from app.security.users import actor_for, create_user

    with db.session(admin) as s:
        create_user(s, admin, username, "clerk", password=ADMIN_PASSWORD + "c")
        user = s.query(User).filter_by(username=username).one()
        user.must_change_password = False
        return actor_for(user)


class Clock:
    """Wall and CPU time of a block. With other jobs sharing the cores, the process's CPU time is
    the steadier measure, so the ratios are taken on it (both are printed)."""

    def __enter__(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


def ratio_line(label: str, ours: Clock, bare: Clock, unit_count: int, unit: str, goal: float) -> str:
    r = ours.cpu / bare.cpu if bare.cpu else float("inf")
    return (f"{label}: {ours.cpu:.2f} s CPU / {ours.wall:.2f} s wall ({unit_count / ours.cpu:,.0f} {unit}/s)"
            f" vs bare {bare.cpu:.2f} s CPU / {bare.wall:.2f} s wall ({unit_count / bare.cpu:,.0f} {unit}/s)"
            f" -> {r:.2f}x on CPU time (goal <= {goal}x)" + ("" if r <= goal else "  ** over goal **"))


def best_of(fns: dict, repeat: int) -> dict:
    """The best time of each function over ``repeat`` rounds, interleaved so that a change of load
    on the machine (other jobs) hits every contender alike."""
    times = {k: [] for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            t = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t)
    return {k: min(v) for k, v in times.items()}
