"""Benchmark: bundle export and import of N changed records, each beside the bare pipeline of the
same rows in the same run.

Scenario: a county generates N members (demo generator) and sends them to the city (round 1:
new records); then every one of them is edited and sent again (round 2: changed records, each
looked up, compared by version vector and updated).

- export  = build the bundle: select, JSON lines, zlib, AES-GCM chunks, SHA-256, Ed25519 signature,
            zip. Bare: select + json.dumps + zip (deflate, level 1 — the level the bundle uses).
- import  = every check (zip safety, signature, recipient, replay, gap, hashes), decrypt, validate
            each row against the model and its RecordSpec (types, codes, ID numbers,
            references, owner), version-vector comparison with the local copy, the write, the
            channel/history records and the audit entry, in one transaction. The automatic
            pre-import backup is timed separately. Bare: unzip + json.loads + executemany
            (INSERT in round 1, INSERT OR REPLACE in round 2) into a copy of the receiver's file.
- peak memory: Python heap peak (tracemalloc) of a separate export and import run, and the
  process's peak RSS.

    python benchmarks/bench_sync.py [--records 100000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import time
import tracemalloc
import zipfile
from pathlib import Path

from _common import ADMIN_PASSWORD, peak_rss_mb, temp_dir


def setup(folder: Path, n: int):
    from app.db.engine import open_database
    from app.demo.generator import generate
    from app.services.setup import init_installation
    from app.sync import service

    county = open_database(folder / "county" / "uniondesk.db", create=True)
    ca = init_installation(county, unit_name="示例县总工会", unit_code="341122", level="county",
                           admin_user="admin", admin_password=ADMIN_PASSWORD)
    city = open_database(folder / "city" / "uniondesk.db", create=True)
    ci = init_installation(city, unit_name="示例市总工会", unit_code="341100", level="city",
                           admin_user="admin", admin_password=ADMIN_PASSWORD)
    generate(county, ca, members=n, seed=11)
    for db, actor, other, oactor in ((county, ca, city, ci), (city, ci, county, ca)):
        card = service.export_card(db, actor, folder / f"{db.level}.udcard")
        p = service.read_card(other, oactor, card)
        service.trust_card(other, oactor, p.peer_id, p.fingerprint)
    peer = service.export_targets(county, ca)[0].id
    return county, ca, city, ci, peer


def bare_export(db_path: Path, out: Path, tables: list[str]) -> None:
    src = sqlite3.connect(db_path)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for table in tables:
            cur = src.execute(f"SELECT * FROM {table}")
            with zf.open(f"{table}.jsonl", "w") as fh:
                while rows := cur.fetchmany(2000):
                    fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode())
    src.close()


def bare_import(zip_path: Path, db_path: Path, verb: str, tables: list[str]) -> None:
    dest = sqlite3.connect(db_path, isolation_level=None)
    dest.execute("PRAGMA journal_mode=WAL")
    dest.execute("PRAGMA synchronous=FULL")
    dest.execute("BEGIN IMMEDIATE")
    with zipfile.ZipFile(zip_path) as zf:
        for table in tables:
            with zf.open(f"{table}.jsonl") as fh:
                batch = []
                for line in fh:
                    batch.append(json.loads(line))
                    if len(batch) == 2000:
                        dest.executemany(f"{verb} INTO {table} VALUES ({','.join('?' * len(batch[0]))})", batch)
                        batch = []
                if batch:
                    dest.executemany(f"{verb} INTO {table} VALUES ({','.join('?' * len(batch[0]))})", batch)
    dest.execute("COMMIT")
    dest.close()


def edit_everything(db) -> None:
    """Round 2: every member edited once on the county PC (as many single edits would)."""
    with db.raw_connection() as conn:
        conn.execute("BEGIN IMMEDIATE")
        (k,) = conn.execute("SELECT CAST(value AS INTEGER) FROM local_state WHERE key='change_seq'").fetchone()
        n = conn.execute("SELECT count(*) FROM members").fetchone()[0]
        conn.execute("UPDATE members SET post = '质检员', revision = revision + 1, "
                     "updated_at = '2026-11-25 08:00:00.000000', change_seq = change_seq + ?, "
                     "vv = json_set(vv, '$.\"' || ? || '\"', change_seq + ?)", (k, db.device_id, k))
        conn.execute("INSERT INTO sync_field_versions SELECT 'members', id, 'post', ?, change_seq "
                     "FROM members", (db.device_id,))
        conn.execute("UPDATE local_state SET value = ? WHERE key='change_seq'", (k + k + n,))
        conn.execute("COMMIT")


def run_round(label, county, ca, city, ci, peer, folder, results, verb) -> None:
    from app.sync.export import build_bundle
    from app.sync.importer import ImportSession, check_bundle, prepare_import

    out = folder / f"{label}.udbx"
    t = time.perf_counter()
    manifest, _ch, _wm = build_bundle(county, ca, peer, out, full=False)
    results[f"{label}: export"] = time.perf_counter() - t
    rows = sum(v["rows"] for v in manifest["counts"].values())
    results[f"{label}: rows"] = rows
    # the bare pipelines move the same tables the bundle carries (every register the demo fills)
    tables = [t for t, v in manifest["counts"].items() if v.get("rows")]
    results[f"{label}: bundle bytes/record"] = out.stat().st_size / rows
    t = time.perf_counter()
    bare_export(county.path, folder / f"{label}-bare.zip", tables)
    results[f"{label}: bare export"] = time.perf_counter() - t
    results[f"{label}: bare zip bytes/record"] = (folder / f"{label}-bare.zip").stat().st_size / rows

    snapshot = folder / f"{label}-receiver.db"
    with city.raw_connection() as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(city.path, snapshot)
    t = time.perf_counter()
    session = prepare_import(city, ci, out)
    results[f"{label}: dry run (checks + report)"] = time.perf_counter() - t
    session.close()
    from app.db.backup import backup_database

    t = time.perf_counter()
    backup_database(city, reason="pre-import")
    results[f"{label}: pre-import backup"] = time.perf_counter() - t
    t = time.perf_counter()
    checked = check_bundle(city, ci, out)
    report = ImportSession(city, ci, checked, None).apply(backup=False)
    results[f"{label}: import"] = time.perf_counter() - t
    results[f"{label}: imported new/updated"] = f"{report.count('new')}/{report.count('updated')}"
    t = time.perf_counter()
    bare_import(folder / f"{label}-bare.zip", snapshot, verb, tables)
    results[f"{label}: bare import"] = time.perf_counter() - t


def memory_run(county, ca, city, ci, peer, folder, results) -> None:
    """A third round (a full export and its import into a fresh copy) under tracemalloc."""
    from app.sync.export import build_bundle

    out = folder / "mem.udbx"
    tracemalloc.start()
    build_bundle(county, ca, peer, out, full=True)
    results["peak Python heap, export (MB)"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    results["full bundle size (MB)"] = out.stat().st_size / 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    args = ap.parse_args()
    folder = temp_dir()
    results: dict = {}
    try:
        county, ca, city, ci, peer = setup(folder, args.records)
        run_round("round 1 (new)", county, ca, city, ci, peer, folder, results, "INSERT OR IGNORE")
        edit_everything(county)
        run_round("round 2 (changed)", county, ca, city, ci, peer, folder, results, "INSERT OR REPLACE")
        memory_run(county, ca, city, ci, peer, folder, results)
        # import memory: a fresh city copy importing the full bundle
        from app.db.engine import open_database
        from app.sync.importer import ImportSession, check_bundle

        city.close()
        fresh = folder / "city2" / "uniondesk.db"
        fresh.parent.mkdir()
        shutil.copyfile(folder / "round 1 (new)-receiver.db", fresh)
        city2 = open_database(fresh)
        from app.sync import keyslots

        keyslots.unlock(city2, ci, ADMIN_PASSWORD)
        tracemalloc.start()
        checked = check_bundle(city2, ci, folder / "mem.udbx")
        ImportSession(city2, ci, checked, None).apply(backup=False)
        results["peak Python heap, import (MB)"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        results["peak RSS of the whole run (MB)"] = peak_rss_mb()
        county.close(), city2.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for k, v in results.items():
        print(f"{k:<42} {v:.3f}" if isinstance(v, float) else f"{k:<42} {v}")
    for r in ("round 1 (new)", "round 2 (changed)"):
        print(f"{r}: export {results[f'{r}: export'] / results[f'{r}: bare export']:.2f}× bare, "
              f"import {results[f'{r}: import'] / results[f'{r}: bare import']:.2f}× bare")


if __name__ == "__main__":
    main()
