"""Benchmark: 基层组织建设 at a million members.

1. ``demo --members N`` (default 1,000,000): the county's unions and members, every member's
   opening 会籍 events (``membership.open_all``: two INSERT … SELECT), a few hundred 会籍 changes,
   建会 at every stage, the elections and the other registers. Printed: the whole run, and the
   opening events alone (done again inside a rolled-back transaction on the full table) beside a
   bare ``executemany`` of the same rows into the same table.
2. ``stats organisation`` (``app.kit.figures.area_stats``: every figure of the area, the member
   register's included) for this year, for the whole county and for one township, beside bare
   sqlite3 queries giving the same numbers on the same indexes — best of ``--repeat`` warm runs.

    python benchmarks/bench_organisation.py [--members 1000000] [--repeat 3] [--keep]
"""

from __future__ import annotations

import argparse
import shutil
import time
from datetime import date

from _common import Clock, fresh_db, peak_rss_mb, ratio_line, temp_dir

BARE_COUNTY = (
    "SELECT kind, count(*) FROM units WHERE deleted = 0 GROUP BY kind",
    "SELECT count(*) FROM units WHERE deleted = 0 AND kind IN ('grassroots', 'federation') "
    "AND founded_on BETWEEN :d0 AND :d1",
    "SELECT count(*), sum(is_migrant_worker), sum(gender = '2') FROM members "
    "WHERE deleted = 0 AND status IN ('1', '3')",
    "SELECT kind, count(*) FROM membership_events WHERE deleted = 0 AND event_date BETWEEN :d0 AND :d1 "
    "GROUP BY kind",
    "SELECT count(*) FROM elections WHERE deleted = 0 AND election_on BETWEEN :d0 AND :d1",
    "SELECT count(*) FROM elections e WHERE deleted = 0 AND term_ends_on <= :d1 AND NOT EXISTS "
    "(SELECT 1 FROM elections l WHERE l.union_id = e.union_id AND l.deleted = 0 "
    "AND l.election_on > e.election_on)",
    "SELECT count(*) FROM home_awards WHERE deleted = 0 AND named_on BETWEEN :d0 AND :d1",
    "SELECT sum(copies), sum(list_price_fen) FROM book_donations WHERE deleted = 0 "
    "AND donated_on BETWEEN :d0 AND :d1",
    "SELECT count(*) FROM training_sessions WHERE deleted = 0 AND starts_on BETWEEN :d0 AND :d1",
    "SELECT count(*) FROM trainees WHERE deleted = 0 AND held_on BETWEEN :d0 AND :d1",
)
SUBTREE = ("WITH RECURSIVE t(id) AS (SELECT :unit UNION ALL SELECT units.id FROM units JOIN t "
           "ON units.parent_id = t.id) ")


def _in_unit(sql: str, column: str) -> str:
    """A county query narrowed to the unit's subtree by ``column``."""
    head, _, tail = sql.partition(" WHERE ")
    return SUBTREE + f"{head} WHERE {column} IN (SELECT id FROM t) AND {tail}"


BARE_UNIT = tuple(_in_unit(q, col) for q, col in zip(BARE_COUNTY, (
    "parent_id", "parent_id", "union_id", "union_id", "union_id", "union_id", "union_id", "union_id",
    "union_id", "union_id")))


def opening_alone(db, actor) -> tuple[Clock, Clock, int]:
    """``open_all`` on the whole member table, and a bare executemany of the rows it wrote: both
    inside transactions that are rolled back."""
    from app.services.organisation import membership

    raw_cols = ("id, member_id, ordinal, kind, event_date, union_id, notes, owner_unit_id, created_at, "
                "updated_at, created_by, updated_by, revision, change_seq, vv, deleted, reason, to_place")
    with db.raw_connection() as raw:
        raw.execute("BEGIN")
        rows = raw.execute(f"SELECT {raw_cols} FROM membership_events WHERE ordinal IN (1, 2) "
                           "ORDER BY rowid").fetchall()
        raw.execute("ROLLBACK")
    ours = Clock()
    n = 0
    try:
        with db.session(actor) as s:
            s.execute(membership.MembershipEvent.__table__.delete())
            with ours:
                n = membership.open_all(s, actor, db.device_id)
            raise _Undo
    except _Undo:
        pass
    bare = Clock()
    with db.raw_connection() as raw:
        raw.execute("BEGIN")
        raw.execute("DELETE FROM membership_events")
        from app.demo.generator import drop_indexes

        with bare:
            rebuild = drop_indexes(raw, "membership_events")
            raw.executemany(f"INSERT INTO membership_events ({raw_cols}) VALUES ({','.join('?' * 18)})", rows)
            rebuild()
        raw.execute("ROLLBACK")
    return ours, bare, n


class _Undo(Exception):
    """Leaves a measuring transaction without a trace."""


def best(fn, repeat: int) -> Clock:
    out = None
    for _ in range(repeat):
        c = Clock()
        with c:
            fn()
        if out is None or c.cpu < out.cpu:
            out = c
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the generated database")
    args = ap.parse_args()
    from app.clock import today
    from app.demo.generator import generate
    from app.kit.figures import area_stats

    folder = temp_dir()
    db, admin = fresh_db(folder)
    start = time.perf_counter()
    counts = generate(db, admin, members=args.members, seed=1)
    demo_s = time.perf_counter() - start
    from app.security.actor import Actor

    system = Actor.system()
    with db.read_session() as s:
        events = s.execute(membership_count()).scalar()
    print(f"demo --members {args.members:,}: {demo_s:.1f} s ({args.members / demo_s:,.0f} members/s), "
          f"{events:,} 会籍 events, database {(folder / 'bench.db').stat().st_size / 1e6:,.0f} MB, "
          f"peak RSS {peak_rss_mb():,.0f} MB")
    print(f"  registers: {', '.join(f'{k} {v:,}' for k, v in counts.items())}")
    ours, bare, n = opening_alone(db, system)
    print(ratio_line(f"opening 会籍 events ({n:,})", ours, bare, n, "events", 2.0))

    d1 = today()
    d0 = date(d1.year, 1, 1)
    with db.read_session() as s:
        town = s.execute(text_("SELECT id FROM units WHERE kind = 'township' ORDER BY name LIMIT 1")).scalar()
    params = {"d0": d0.isoformat(), "d1": d1.isoformat(), "unit": town}
    for label, unit, queries in (("county", None, BARE_COUNTY), ("township", town, BARE_UNIT)):
        def ours_run(unit=unit):
            with db.read_session() as s:
                return area_stats(s, system, "organisation", d0, d1, unit)

        def bare_run(queries=queries):
            with db.raw_connection() as raw:
                return [raw.execute(q, params).fetchall() for q in queries]

        result = ours_run()
        ours_c, bare_c = best(ours_run, args.repeat), best(bare_run, args.repeat)
        print(ratio_line(f"stats organisation {d0}..{d1} ({label})", ours_c, bare_c,
                         len(result.figures), "figures", 2.0))
        print("  " + ", ".join(f"{f.label} {f.text} {f.unit}" for f in result.figures))
    db.close()
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


def membership_count():
    from sqlalchemy import func, select

    from app.models.organisation import MembershipEvent

    return select(func.count()).select_from(MembershipEvent)


def text_(sql: str):
    from sqlalchemy import text

    return text(sql)


if __name__ == "__main__":
    main()
