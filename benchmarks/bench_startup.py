"""Benchmark: start-up time, beside a bare interpreter in the same run.

Measures (median of --runs fresh processes each):
- baselines: ``python -c pass`` and ``python -c "import sqlite3"``;
- the core's import time: the modules on the start path (``app.cli.main`` with every command,
  the store, the start-up checks), and the largest contributors from ``python -X importtime``;
- ``uniondesk-cli --version`` and ``status`` from source, on a database with --members members;
- the start-up checks on that database: ``preflight`` (quick_check) and the backup taken on exit;
- the frozen app (``dist/uniondesk``, when built): ``uniondesk-cli --version`` and ``status``;
- the frozen desktop app to a usable login window, once the GUI has it. The hook: with the
  environment variable ``UNIONDESK_STARTUP_PROBE=1`` the desktop app quits (exit code 0) as soon as
  its login window has been shown, so the wall time to exit is the time to a usable login window.
  It is measured only when ``uniondesk --help`` lists ``--smoke-test`` (the real window exists).

    python benchmarks/bench_startup.py [--members 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import ADMIN_PASSWORD, fresh_db, temp_dir

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "uniondesk"
EXE = ".exe" if os.name == "nt" else ""
START_MODULES = ("app.cli.main", "app.db.engine", "app.models", "app.services.startup", "app.db.backup",
                 "app.db.lock", "app.security.users", "app.services.setup")
IMPORT_START = ("import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in START_MODULES)
                + "importlib.import_module('app.cli.main').build_parser()\n")


def env_for(data: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "UNIONDESK_DB"}
    env.update(UNIONDESK_DATA_DIR=str(data), UNIONDESK_FAST_KDF="1", QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT))
    return env


def median_run(argv, env, runs: int, *, ok=(0,)) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run([str(a) for a in argv], env=env, capture_output=True, cwd=ROOT, timeout=300)
        times.append(time.perf_counter() - t)
        if proc.returncode not in ok:
            raise SystemExit(f"{argv} failed: {proc.stderr.decode('utf-8', 'replace')[-500:]}")
    return statistics.median(times)


def import_profile(env) -> list[tuple[int, str]]:
    """(cumulative µs, module) of the biggest top-level imports on the start path."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", IMPORT_START], env=env,
                          capture_output=True, text=True, cwd=ROOT)
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = (part.strip() for part in line.split("|"))
            if cumulative.isdigit() and not name.startswith(" "):
                rows.append((int(cumulative), name))
    top_level = [(us, name.strip()) for us, name in rows if "." not in name.strip()]
    return sorted(top_level, reverse=True)[:8]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    work = temp_dir()
    env = env_for(work / "data")
    py, runs = sys.executable, args.runs
    results: list[tuple[str, float]] = []

    results.append(("bare: python -c pass", median_run([py, "-c", "pass"], env, runs)))
    results.append(("bare: python -c 'import sqlite3'", median_run([py, "-c", "import sqlite3"], env, runs)))
    results.append(("core: import the start path", median_run([py, "-c", IMPORT_START], env, runs)))
    results.append(("source: uniondesk-cli --version", median_run([py, "-m", "app", "--version"], env, runs)))

    from app.demo.generator import generate

    db, actor = fresh_db(work)
    generate(db, actor, members=args.members, seed=1)
    db.close()
    path = db.path
    results.append((f"source: uniondesk-cli status ({args.members:,} members)",
                    median_run([py, "-m", "app", "--db", path, "status"], env, runs)))

    from app.db.backup import backup_database
    from app.services.startup import Startup

    t = time.perf_counter()
    start = Startup(path)
    report = start.begin()
    results.append(("start-up checks: lock + preflight incl. quick_check", time.perf_counter() - t))
    assert report.ok, report.lines()
    t = time.perf_counter()
    start.open()
    results.append(("open_database (schema check, identity)", time.perf_counter() - t))
    for check, label in (("none", "backup API only"), ("full", "with integrity_check of the copy (manual)")):
        t = time.perf_counter()
        backup_database(start.db, reason="manual", check=check, rotate=False)
        results.append((f"backup: {label}", time.perf_counter() - t))
    t = time.perf_counter()
    start.close()  # the exit backup as shipped: quick_check of the copy
    results.append(("exit backup with quick_check of the copy (as shipped), close", time.perf_counter() - t))

    if (BUNDLE / f"uniondesk-cli{EXE}").exists():
        cli, gui = BUNDLE / f"uniondesk-cli{EXE}", BUNDLE / f"uniondesk{EXE}"
        frozen_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
        first = median_run([cli, "--version"], frozen_env, 1)
        results.append(("frozen: uniondesk-cli --version (first run)", first))
        results.append(("frozen: uniondesk-cli --version", median_run([cli, "--version"], frozen_env, runs)))
        results.append((f"frozen: uniondesk-cli status ({args.members:,} members)",
                        median_run([cli, "--db", path, "status"], frozen_env, runs)))
        helptext = subprocess.run([str(gui), "--help"], env=frozen_env, capture_output=True, text=True)
        if "--smoke-test" in helptext.stdout + helptext.stderr:
            probe_env = {**frozen_env, "UNIONDESK_STARTUP_PROBE": "1", "UNIONDESK_PASSWORD": ADMIN_PASSWORD}
            results.append(("frozen: uniondesk to a usable login window",
                            median_run([gui, "--db", path], probe_env, runs)))
        else:
            print("(the desktop window is not there yet: login-window time not measured)")
    else:
        print("(no dist/uniondesk: run `python packaging/build.py` for the frozen figures)")

    import sqlite3

    print(f"\nstart-up, median of {runs} runs, Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
          f"{os.cpu_count()} cores, database {path.stat().st_size / 1024 / 1024:,.0f} MB")
    for label, seconds in results:
        print(f"  {label:<62} {seconds * 1000:>8,.0f} ms")
    print("\nlargest imports on the start path (cumulative, one -X importtime run):")
    for us, name in import_profile(env):
        print(f"  {name:<30} {us / 1000:>8,.0f} ms")
    shutil.rmtree(work, ignore_errors=True)  # the database and its backups: gigabytes at 1M members


if __name__ == "__main__":
    main()
