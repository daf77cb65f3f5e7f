"""Benchmark: the desk on a million members, each figure beside a bare baseline from the same run.

- start-up to a usable (painted) login window, vs a bare PySide6 window (separate processes,
  median of several alternating runs);
- the members list: first paint of the lazy list page (and of the total count, which arrives
  after), vs the bare first-page query;
- search by name (2 and 3 characters), ID number, pinyin initials and phone, through the same
  path as the list's first page: median of several runs, vs an unindexed ``LIKE '%…%'`` scan;
- the process's memory (RSS) with the list open.

    python benchmarks/bench_gui.py [--members 1000000] [--db /tmp/uniondesk-bench-1m.db]

The database is generated once and kept (about a minute for a million members).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import ADMIN_PASSWORD, fresh_db, peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BARE_WINDOW = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget
app = QApplication(sys.argv[:1])
w = QWidget(); w.setWindowTitle("bare")
lay = QVBoxLayout(w); lay.addWidget(QLabel("用户名")); lay.addWidget(QLineEdit()); lay.addWidget(QPushButton("登录"))
class Watch(QObject):
    def eventFilter(self, obj, event):
        if obj is w and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: (print(f"ready {time.time() - float(os.environ['UNIONDESK_T0']):.4f}", flush=True), os._exit(0)))
        return False
watch = Watch(); w.installEventFilter(watch); w.show(); app.exec()
"""


def current_rss_mb() -> float:
    """Resident memory now, in MiB (the unit of ``peak_rss_mb``)."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def ensure_database(path: Path, members: int) -> None:
    if path.exists():
        return
    from app.demo.generator import generate

    tmp = path.with_suffix(".part")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    db, actor = fresh_db(tmp.parent, tmp.name)
    start = time.perf_counter()
    generate(db, actor, members=members, seed=1)
    db.close()
    tmp.rename(path)
    print(f"generated {members:,} members in {time.perf_counter() - start:.0f} s -> {path}")


def timed_start(cmd: list[str], env: dict) -> float:
    env = dict(env, UNIONDESK_T0=repr(time.time()))
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    line = next((x for x in out.stdout.splitlines() if x.startswith("ready ")), None)
    if line is None:
        raise RuntimeError(f"no ready line from {cmd}: {out.stderr[-2000:]}")
    return float(line.split()[1])


def bench_start(db_path: Path, runs: int) -> tuple[float, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    bare, ours = [], []
    timed_start([sys.executable, "-c", BARE_WINDOW], env)  # warm the file cache once
    timed_start([sys.executable, "-m", "ui", "--db", str(db_path), "--exit-when-ready"], env)
    for _ in range(runs):
        bare.append(timed_start([sys.executable, "-c", BARE_WINDOW], env))
        ours.append(timed_start([sys.executable, "-m", "ui", "--db", str(db_path),
                                 "--exit-when-ready"], env))
    return statistics.median(bare), statistics.median(ours)


def median_ms(fn, runs: int = 7) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--db", default=None)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    db_path = Path(args.db or f"/tmp/uniondesk-bench-{args.members}.db")
    ensure_database(db_path, args.members)

    bare_s, ours_s = bench_start(db_path, args.runs)
    print(f"start to a painted login window: bare PySide6 window {bare_s:.2f} s, "
          f"uniondesk {ours_s:.2f} s -> {ours_s / bare_s:.1f}x (median of {args.runs})")

    from app.db.engine import open_database
    from app.fields.members import MEMBER
    from app.security.users import authenticate
    from app.services import listing
    from app.services.listing import ListQuery
    from ui import workers
    from ui.context import AppContext
    from ui.main import make_application
    from ui.main_window import MainWindow
    from ui.startup import warm_up

    app = make_application()  # the real font and stylesheet
    db = open_database(db_path)
    warm_up(db)  # what the app does in the background while the login window is up
    actor = authenticate(db, "admin", ADMIN_PASSWORD)
    ctx = AppContext(db, actor)
    _ = ctx.codes

    with db.read_session() as s:
        raw = s.connection().exec_driver_sql
        bare_page = median_ms(lambda: raw(
            "SELECT rowid, * FROM members WHERE deleted = 0 ORDER BY name_pinyin, rowid LIMIT 200").all())
    window = MainWindow(ctx)  # as a user gets there: the window is up, the home page shown
    window.resize(1366, 768)
    window.show()
    workers.wait_for_jobs()
    app.processEvents()
    start = time.perf_counter()
    area = window.navigate("organisation")  # 基层组织建设, then its 会员 tab
    area.show_tab(area.tab_of("member"))
    page = area.list_of("member")
    while not page.model.rows:
        workers.wait_for_jobs(5)
    page.view.viewport().repaint()
    app.processEvents()
    first_paint = time.perf_counter() - start
    while page.model.total is None:
        workers.wait_for_jobs(5)
    counted = time.perf_counter() - start
    print(f"members list first paint: {first_paint * 1000:.0f} ms (bare first-page query "
          f"{bare_page:.1f} ms); total “共 {page.model.total:,} 条” after {counted * 1000:.0f} ms")

    with db.read_session() as s:
        people = s.connection().exec_driver_sql(
            "SELECT name, id_number, name_initials, phone FROM members "
            "WHERE length(name) = 3 LIMIT 5 OFFSET ?", (args.members // 3,)).all()
    name3, id_number, initials, phone = people[2]
    cases = [("name, 2 characters", name3[:2]), ("name, 3 characters", name3),
             ("ID number (18)", id_number), ("ID number, last 6", id_number[-6:]),
             ("pinyin initials", initials), ("pinyin initials, 2 letters", initials[:2]),
             ("phone", phone)]
    with db.read_session() as s:
        for label, text in cases:
            query = ListQuery.of("member", search=text)
            rows = listing.fetch_page(s, actor, query).rows
            ms = median_ms(lambda q=query: listing.fetch_page(s, actor, q))
            naive = median_ms(lambda t=text: s.connection().exec_driver_sql(
                "SELECT rowid FROM members WHERE deleted = 0 AND (name LIKE ? OR id_number LIKE ? "
                "OR phone LIKE ? OR name_initials LIKE ?) ORDER BY name_pinyin LIMIT 200",
                (f"%{t}%",) * 4).all(), runs=3)
            how = "+".join(sorted({x.how for x in listing.search_sources(MEMBER, text)}))
            print(f"search {label:28s} {text!r:22s} {ms:7.1f} ms  ({len(rows):>3} rows, {how}; "
                  f"unindexed LIKE scan {naive:,.0f} ms)")
    print(f"process memory with the list open: RSS {current_rss_mb():.0f} MB "
          f"(peak {peak_rss_mb():.0f} MB)")
    window.close()
    workers.wait_for_jobs()
    db.close()


if __name__ == "__main__":
    main()
