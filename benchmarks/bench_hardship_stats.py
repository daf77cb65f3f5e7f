"""Benchmark: the period statistics of 困难职工帮扶 over 1,000,000 ledger entries, beside the bare
SQL aggregate with the right index in the same run.

Set-up: a demo county (``--members``, default 200,000: about 4,000 households at every stage),
then ``--entries`` ledger rows (default 1,000,000) bulk-inserted over three years: payouts to the
archived households (cash, and rice / flour / oil in 斤 or 桶), 2% reversals, 意外救助 without an
archive, and enterprise visits.

Measured, each the best of ``--repeat`` warm runs:
- ``hardship_stats`` (the whole function: relief, goods, households and people net of reversals,
  visits, archives, 金秋助学) for all three years and for one half-year, and for one township;
- the same statements replayed in plain sqlite3 (what the declared figures cost above SQL);
- the bare baseline: the same period's cash and goods totals by kind and unit, and the count of
  distinct households paid, in plain sqlite3 on the ``ix_hardship_ledger_stats`` covering index.

    python benchmarks/bench_hardship_stats.py [--members 200000] [--entries 1000000]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import time
import uuid
from datetime import date, timedelta
from random import Random

from _common import best_of, fresh_db, peak_rss_mb, temp_dir

BARE = (
    "SELECT goods_kind, goods_unit, sum(cash_fen), sum(goods_qty), sum(goods_value_fen) "
    "FROM hardship_ledger WHERE paid_on BETWEEN ? AND ? GROUP BY goods_kind, goods_unit",
    "SELECT count(DISTINCT archive_id) FROM hardship_ledger "
    "WHERE paid_on BETWEEN ? AND ? AND recipient_kind = 'worker'",
)


def fill_ledger(db, actor, n: int, seed: int = 5) -> tuple[date, date]:
    """``n`` ledger rows over the last three years, written with executemany in one transaction."""
    from app.clock import today
    from app.db.bulk import Stamper
    from app.db.tracking import reserve_change_seqs

    rng = Random(seed)
    end = today()
    start = end - timedelta(days=3 * 365)
    with db.session(actor) as s:
        raw = s.connection().connection.driver_connection
        households = raw.execute("SELECT id, name, id_number, union_id, archived_on FROM hardship_archives "
                                 "WHERE archived_on IS NOT NULL").fetchall()
        unions = [r[0] for r in raw.execute("SELECT id FROM units WHERE kind = 'grassroots'")]
        columns = [r[1] for r in raw.execute("PRAGMA table_info(hardship_ledger)")]
        st = Stamper(first_seq=reserve_change_seqs(s, n), device_id=db.device_id, username=actor.username,
                     owner_unit_id=db.root_unit_id)
        sql = f"INSERT INTO hardship_ledger ({','.join(columns)}) VALUES ({','.join('?' * len(columns))})"
        span = (end - start).days
        goods = (("rice", "jin", 50, 15_000), ("flour", "jin", 50, 12_500), ("oil", "barrel", 1, 8_000),
                 ("oil", "jin", 10, 9_000))
        batch, last = [], []
        for i in range(n):
            r = rng.random()
            day = (start + timedelta(days=rng.randrange(span))).isoformat()
            row = dict(id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), paid_on=day,
                       kind="living", recipient_kind="worker", archive_id=None, recipient_name="某某",
                       recipient_id_number=None, unit_id=rng.choice(unions), campaign_id=None,
                       visit_id=None, aid_id=None, cash_fen=rng.randint(3, 50) * 10_000, goods_kind=None,
                       goods_unit=None, goods_qty=0, goods_value_fen=0, fund_source="county", batch=None,
                       paid_by="经办人", signed_by=None, proxy_relation=None, reason=None,
                       reverses_id=None, note=None)
            if r < 0.02 and last:  # a reversal of a recent line
                o = rng.choice(last)
                row.update({k: o[k] for k in ("paid_on", "kind", "recipient_kind", "archive_id",
                                              "recipient_id_number", "unit_id", "goods_kind", "goods_unit")},
                           cash_fen=-o["cash_fen"], goods_qty=-o["goods_qty"],
                           goods_value_fen=-o["goods_value_fen"], reverses_id=o["id"], reason="冲正")
            elif r < 0.05:
                row.update(kind="accident", recipient_id_number=f"341122198{i % 10}0101{i % 1000:03d}X",
                           reason="意外")
            elif r < 0.08:
                row.update(kind="warmth", recipient_kind="enterprise", cash_fen=1_000_000)
            else:
                h = rng.choice(households)
                row.update(archive_id=h[0], recipient_name=h[1], recipient_id_number=h[2], unit_id=h[3],
                           kind=rng.choice(("living", "medical", "holiday", "warmth")))
                if rng.random() < 0.4:
                    k, u, q, v = rng.choice(goods)
                    row.update(goods_kind=k, goods_unit=u, goods_qty=q, goods_value_fen=v,
                               cash_fen=rng.choice((0, row["cash_fen"])))
                last = (last + [row])[-50:]
            st.stamp(row)
            batch.append(tuple(row[c] for c in columns))
            if len(batch) == 20_000:
                raw.executemany(sql, batch)
                batch = []
        raw.executemany(sql, batch)
    with db.raw_connection() as conn:
        conn.execute("ANALYZE")
    return start, end



def statements(db, run) -> list[tuple[str, tuple]]:
    """The SQL statements (and parameters) ``run`` sends to the database, to replay them bare."""
    from sqlalchemy import event

    seen: list[tuple[str, tuple]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, tuple(parameters)))

    engine = db.reader
    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=200_000)
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", action="store_true", help="keep the generated database")
    args = ap.parse_args()
    from app.demo.generator import generate
    from app.services.hardship.stats import hardship_stats

    folder = temp_dir()
    db, actor = fresh_db(folder)
    t = time.perf_counter()
    counts = generate(db, actor, members=args.members, seed=1)
    start, end = fill_ledger(db, actor, args.entries)
    setup = time.perf_counter() - t
    path = folder / "bench.db"
    bare = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    plan = " | ".join(r[3] for q in BARE for r in bare.execute("EXPLAIN QUERY PLAN " + q, ("", "")))
    township = bare.execute("SELECT code FROM units WHERE kind = 'township' LIMIT 1").fetchone()[0]
    total = bare.execute("SELECT count(*) FROM hardship_ledger").fetchone()[0]
    print(f"set-up: {counts.get('困难职工档案', 0):,} households, {total:,} ledger rows in {setup:.0f} s "
          f"({folder}); bare plan: {plan}")
    half = (end - timedelta(days=182), end)
    for label, (d0, d1), unit in (("three years (every row)", (start, end), None),
                                  ("one half-year", half, None),
                                  (f"three years, township {township}", (start, end), township)):
        ids = [] if unit is None else [r[0] for r in bare.execute(
            "WITH RECURSIVE t(id) AS (SELECT id FROM units WHERE code = ? UNION ALL "
            "SELECT u.id FROM units u JOIN t ON u.parent_id = t.id) SELECT id FROM t", (unit,))]
        where = "" if unit is None else f" AND unit_id IN ({','.join('?' * len(ids))})"
        queries = [q.replace(" GROUP BY", where + " GROUP BY") if "GROUP BY" in q else q + where
                   for q in BARE]
        def run_app():
            with db.read_session() as s:
                hardship_stats(s, actor, d0, d1, unit)

        same = statements(db, run_app)

        def run_bare():
            for q in queries:
                bare.execute(q, (d0.isoformat(), d1.isoformat(), *ids)).fetchall()

        def run_same_sql():  # the statements hardship_stats runs (the declared figures), in plain sqlite3
            for q, params in same:
                bare.execute(q, params).fetchall()

        t = best_of({"app": run_app, "bare": run_bare, "same": run_same_sql}, args.repeat)
        print(f"{label:<34} hardship_stats {t['app'] * 1000:7.0f} ms | bare aggregate {t['bare'] * 1000:7.0f} ms"
              f" -> {t['app'] / t['bare']:4.2f}x | same SQL bare {t['same'] * 1000:7.0f} ms"
              f" -> {t['app'] / t['same']:4.2f}x")
    print(f"peak RSS {peak_rss_mb():,.0f} MB; database {path.stat().st_size / 1e6:,.0f} MB")
    bare.close()
    db.close()
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
