"""Benchmark: the 来访和12351工单 list and the rights figures at 200,000 tickets, beside the bare
SQL of the same work in the same run.

Set-up: a demo county (``--members``, default 20,000: its unions, and a year of the rights area
from the demo), then ``--tickets`` tickets (default 200,000) bulk-inserted with executemany over
three years across the county's unions — channels, categories, visitors (a few collective visits)
and states as the demo makes them, with their time limits.

Measured, each the best of ``--repeat`` warm runs, interleaved with its baseline:
- the list's first paint: the first page (200 rows, newest first, texts and masked numbers) and
  its count, through ``app.services.listing`` as the desk's list model calls it (headless);
- searches through the list: a two-character name, a phone tail, a whole 工单号;
- ``stats rights`` (``area_stats``: every figure of the area, one statement per register) for the
  last year and for all three years, beside plain sqlite3 computing the same numbers with the same
  conditions.

    python benchmarks/bench_rights.py [--members 20000] [--tickets 200000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sqlite3
import time
import uuid
from datetime import date, timedelta
from random import Random

from _common import best_of, fresh_db, peak_rss_mb, temp_dir

BARE_TICKETS = (
    "SELECT sum(CASE WHEN channel = 'visit' THEN visitors ELSE 0 END), "
    "sum(CASE WHEN channel = 'hotline' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN channel = 'visit' AND collective = 1 THEN 1 ELSE 0 END), count(*), "
    "sum(CASE WHEN category = '3' THEN 1 ELSE 0 END) "
    "FROM rights_tickets WHERE deleted = 0 AND received_on BETWEEN ? AND ?")
BARE_OTHERS = (
    ("SELECT count(*) FROM rights_tickets WHERE deleted = 0 "
     "AND status IN ('registered', 'accepted', 'transferred')", False),
    ("SELECT count(*), sum(form = 'lecture'), sum(form = 'stand'), sum(materials), sum(consulted), "
     "sum(audience) FROM rights_events WHERE deleted = 0 AND held_on BETWEEN ? AND ?", True),
    ("SELECT count(DISTINCT coalesce(id_number, person_name)), count(*) FROM rights_consultations "
     "WHERE deleted = 0 AND consulted_on BETWEEN ? AND ?", True),
    ("SELECT count(*) FROM rights_aid_cases WHERE deleted = 0 AND review_result = 'granted' "
     "AND applied_on BETWEEN ? AND ?", True),
    ("SELECT sum(recovered_fen) FROM rights_aid_cases WHERE deleted = 0 AND closed_on BETWEEN ? AND ?", True),
    ("SELECT count(*), sum(hazard_count) FROM rights_inspections WHERE deleted = 0 "
     "AND inspected_on BETWEEN ? AND ?", True),
)
CHANNELS = (("hotline", 55), ("visit", 35), ("letter", 4), ("online", 6))
CATEGORIES = {"1": ("101", "102", "103", "104"), "2": ("201", "202"), "3": ("301", "302", "303", "304"),
              "4": ("401", "402"), "5": ("501", "502")}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"


def fill_tickets(db, actor, n: int, seed: int = 5) -> tuple[date, date]:
    """``n`` tickets over the last three years, written with executemany in one transaction."""
    from app.clock import today
    from app.db.bulk import Stamper
    from app.db.tracking import reserve_change_seqs

    rng = Random(seed)
    end = today()
    start = end - timedelta(days=3 * 365)
    with db.session(actor) as s:
        raw = s.connection().connection.driver_connection
        unions = [r[0] for r in raw.execute("SELECT id FROM units WHERE kind IN ('county', 'township', "
                                            "'street', 'system')")]
        columns = [r[1] for r in raw.execute("PRAGMA table_info(rights_tickets)")]
        first_no = raw.execute("SELECT count(*) FROM rights_tickets").fetchone()[0]
        st = Stamper(first_seq=reserve_change_seqs(s, n), device_id=db.device_id, username=actor.username,
                     owner_unit_id=db.root_unit_id)
        sql = f"INSERT INTO rights_tickets ({','.join(columns)}) VALUES ({','.join('?' * len(columns))})"
        span = (end - start).days
        channels, weights = zip(*CHANNELS)
        batch = []
        for i in range(n):
            received = start + timedelta(days=rng.randrange(span))
            channel = rng.choices(channels, weights)[0]
            category = rng.choices(tuple(CATEGORIES), (45, 10, 30, 10, 5))[0]
            visitors = 1 if channel != "visit" else rng.choices((1, 2, 3, 6, 12), (80, 8, 5, 5, 2))[0]
            old = (end - received).days > 60
            status = "archived" if old or rng.random() < 0.7 else rng.choice(
                ("registered", "accepted", "transferred", "done", "visited"))
            petition = category == "3"
            row = dict(id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                       ticket_no=f"341122WQ{received.year}{first_no + i + 1:07d}"[:20],
                       received_on=received.isoformat(), received_time=f"{rng.randint(8, 16):02d}:30",
                       channel=channel, person_name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
                       gender=rng.choice("12"), id_number=None,
                       phone=f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
                       employer="示例县某某有限公司", address=None, union_id=rng.choice(unions),
                       visitors=visitors, collective=visitors >= 5, category=category,
                       sub_item=rng.choice(CATEGORIES[category]), content="反映劳动报酬问题,请求协调。",
                       complexity="normal", petition=petition, received_by="陈丽", status=status,
                       handling="direct" if status != "registered" else None, handled_by_unit_id=None,
                       accept_due_on=(received + timedelta(days=21)).isoformat() if petition else None,
                       accepted_on=received.isoformat() if status != "registered" else None,
                       due_on=(received + timedelta(days=7 if not petition else 84)).isoformat(),
                       due_note=None, extended_days=0,
                       result="已答复" if status in ("done", "visited", "archived") else None,
                       result_on=None, callback_on=None, satisfaction=None, callback_note=None, note=None)
            st.stamp(row)
            batch.append(tuple(row[c] for c in columns))
            if len(batch) == 20_000:
                raw.executemany(sql, batch)
                batch = []
        raw.executemany(sql, batch)
    with db.raw_connection() as conn:
        conn.execute("ANALYZE")
    return start, end



def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=20_000)
    ap.add_argument("--tickets", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    from app.demo.generator import generate
    from app.kit.figures import area_stats
    from app.services import listing
    from app.services.listing import ListQuery

    folder = temp_dir()
    db, actor = fresh_db(folder)
    t = time.perf_counter()
    generate(db, actor, members=args.members, seed=1)
    start, end = fill_tickets(db, actor, args.tickets)
    bare = sqlite3.connect(f"file:{folder / 'bench.db'}?mode=ro", uri=True)
    total = bare.execute("SELECT count(*) FROM rights_tickets").fetchone()[0]
    print(f"set-up: {total:,} tickets in {time.perf_counter() - t:.0f} s ({folder})")
    from app.models import User
    from app.security.users import actor_for

    with db.session(actor) as s:  # a 经办人 of the county, who reads and searches the list
        from app.security.users import create_user

        create_user(s, actor, "bench_clerk", "clerk", password="Bench@2026c")
        clerk = actor_for(s.query(User).filter_by(username="bench_clerk").one())
    with db.read_session() as s:
        sample = s.execute(listing.rows_select(s, ListQuery.of("rights_ticket"),
                                               [listing.spec_by_key("rights_ticket").model.ticket_no,
                                                listing.spec_by_key("rights_ticket").model.phone])
                           .limit(1)).one()

    def page(search: str = ""):
        def run():
            with db.read_session() as s:
                q = ListQuery.of("rights_ticket", search=search).sorted_by("received_on", True)
                listing.fetch_page(s, clerk, q)
                if not search:
                    listing.count(s, clerk, q)
        return run

    def bare_page(where: str = "", params=()):
        def run():
            bare.execute("SELECT * FROM rights_tickets WHERE deleted = 0" + where +
                         " ORDER BY received_on DESC, rowid DESC LIMIT 201", params).fetchall()
            if not where:
                bare.execute("SELECT count(*) FROM rights_tickets WHERE deleted = 0").fetchone()
        return run

    def upper(text: str) -> str:  # the end of a prefix range
        return text[:-1] + chr(ord(text[-1]) + 1)

    fts = "rowid IN (SELECT rowid FROM rights_tickets_fts WHERE rights_tickets_fts MATCH ?)"
    tail, number = sample.phone[-4:], sample.ticket_no
    # the bare searches use the same indexes the list's plans use: a prefix range for one or two
    # characters, the trigram index for three or more
    searches = (("first paint (page + count)", "", "", ()),
                ("search a two-character name “王秀”", "王秀",
                 " AND ((person_name >= ? AND person_name < ?) OR (ticket_no >= ? AND ticket_no < ?))",
                 ("王秀", upper("王秀")) * 2),
                (f"search a phone tail “{tail}”", tail, f" AND ({fts} OR (phone >= ? AND phone < ?))",
                 (f'"{tail}"', tail, upper(tail))),
                (f"search a whole 工单号 {number}", number, f" AND {fts}", (f'"{number}"',)))
    print("| what | listing | bare SQL | ratio |")
    print("|---|---|---|---|")
    for label, text, where, params in searches:
        best = best_of({"app": page(text), "bare": bare_page(where, params)}, args.repeat)
        print(f"| {label} | {best['app'] * 1000:,.1f} ms | {best['bare'] * 1000:,.1f} ms | "
              f"{best['app'] / best['bare']:.2f}× |")

    for label, d0 in (("last year", end - timedelta(days=365)), ("three years", start)):
        def run_app(d0=d0):
            with db.read_session() as s:
                area_stats(s, clerk, "rights", d0, end)

        def run_bare(d0=d0):
            args_ = (d0.isoformat(), end.isoformat())
            bare.execute(BARE_TICKETS, args_).fetchone()
            for sql, dated in BARE_OTHERS:
                bare.execute(sql, args_ if dated else ()).fetchone()
        best = best_of({"app": run_app, "bare": run_bare}, args.repeat)
        print(f"| `stats rights`, {label} | {best['app'] * 1000:,.1f} ms | {best['bare'] * 1000:,.1f} ms | "
              f"{best['app'] / best['bare']:.2f}× |")
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
