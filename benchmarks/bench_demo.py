"""Benchmark: ``demo --members N`` beside a bare sqlite3 executemany of the same rows.

The demo run generates the rows (names, valid ID numbers, pinyin keys, sync stamps) and writes
them. The bare baselines then insert exactly those rows, read back from the demo database, into a
fresh file with the identical schema and the same pragmas (WAL, synchronous=FULL) in one
transaction: (a) into the schema as it is, every index present; (b) into the table with only its
primary key, then building the indexes. Only the insert, index and commit time is counted.

    python benchmarks/bench_demo.py [--members 1000000]
"""

from __future__ import annotations

import argparse
import sqlite3
import time

from _common import fresh_db, peak_rss_mb, temp_dir


def bare_insert(src_path, dest_path, *, build_indexes_after: bool) -> float:
    src = sqlite3.connect(src_path)
    objs = src.execute("SELECT type, sql FROM sqlite_master WHERE tbl_name IN ('units', 'members') "
                       "AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC").fetchall()
    # tables first; the search-index triggers are left out (their FTS table is not copied)
    dest = sqlite3.connect(dest_path, isolation_level=None)
    dest.execute("PRAGMA journal_mode=WAL")
    dest.execute("PRAGMA synchronous=FULL")
    indexes = []
    for kind, sql in objs:
        if kind == "index" and build_indexes_after and " members" in sql:
            indexes.append(sql)
        else:
            dest.execute(sql)
    unit_rows = src.execute("SELECT * FROM units").fetchall()
    dest.execute("BEGIN")
    dest.executemany(f"INSERT INTO units VALUES ({','.join('?' * len(unit_rows[0]))})", unit_rows)
    dest.execute("COMMIT")
    cur = src.execute("SELECT * FROM members ORDER BY rowid")
    width = len(cur.description)
    sql = f"INSERT INTO members VALUES ({','.join('?' * width)})"
    spent = 0.0
    dest.execute("BEGIN")
    while chunk := cur.fetchmany(20_000):
        t = time.perf_counter()
        dest.executemany(sql, chunk)
        spent += time.perf_counter() - t
    t = time.perf_counter()
    for idx in indexes:
        dest.execute(idx)
    dest.execute("COMMIT")
    dest.close()
    return spent + time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    args = ap.parse_args()
    from app.demo.generator import generate

    folder = temp_dir()
    db, actor = fresh_db(folder)
    start = time.perf_counter()
    counts = generate(db, actor, members=args.members, seed=1)
    demo_s = time.perf_counter() - start
    db.close()
    size_mb = (folder / "bench.db").stat().st_size / 1e6
    indexed = bare_insert(folder / "bench.db", folder / "bare_indexed.db", build_indexes_after=False)
    pk_only = bare_insert(folder / "bench.db", folder / "bare_pk.db", build_indexes_after=True)
    n = args.members
    print(f"demo --members {n:,}: {demo_s:.1f} s, {n / demo_s:,.0f} members/s "
          f"(counts {counts}), database {size_mb:,.0f} MB, peak RSS {peak_rss_mb():,.0f} MB")
    print(f"bare executemany, schema as is (all indexes):  {indexed:.1f} s, {n / indexed:,.0f} rows/s"
          f" -> demo/bare = {demo_s / indexed:.2f}x")
    print(f"bare executemany, PK only then CREATE INDEX:   {pk_only:.1f} s, {n / pk_only:,.0f} rows/s"
          f" -> demo/bare = {demo_s / pk_only:.2f}x")


if __name__ == "__main__":
    main()
