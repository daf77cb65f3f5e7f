"""Benchmark: Excel export and import, each beside bare openpyxl in the same run.

Export: ``export_kind`` (the whole use case: select, labels for codes and references, masking
rules, text and date cells, title and header rows, audit) beside bare openpyxl write-only appending
the same rows as sqlite3 returns them.

Import: ``import_file`` (read, every check of ``RecordSpec.clean``, reference names, duplicates in
the database and in the file, one bulk insert with sync stamps and one audit entry) beside bare
openpyxl read-only reading the same file and inserting the raw values with ``executemany``.

Each case is one Excel kind: ``members``; hardship's ``relief`` (100,000 ledger rows exported) and
``archives`` (10,000 households imported with their family members and rigid expenses, every check:
the union and the user's scope, the fields' rules, 精准识别 across the database and the file, the
household's figures and eligibility, one bulk insert and one audit entry).

    python benchmarks/bench_excel.py [--export-rows 100000] [--import-rows 10000] [--case relief]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import uuid
from datetime import date

from _common import Clock, clerk, fresh_db, peak_rss_mb, ratio_line, temp_dir

MEMBER_SELECT = (
    "SELECT m.name, m.id_number, m.gender, m.birth_date, m.ethnicity, m.political_status, "
    "m.education, m.phone, u.name, m.department, m.post, m.joined_on, m.card_no, m.status, "
    "m.is_migrant_worker, m.is_model_worker, m.notes FROM members m JOIN units u ON u.id = m.union_id "
    "WHERE m.deleted = 0 ORDER BY u.sort_order, u.name, m.name, m.id")


def members_db(folder, n: int, name: str):
    from app.demo.generator import generate

    db, admin = fresh_db(folder, name)
    generate(db, admin, members=n, seed=1)
    return db, clerk(db, admin)


def bare_export(db_path, select_sql: str, headers: list[str], date_columns: tuple[int, ...],
                out, money_columns: tuple[int, ...] = ()) -> None:
    """The rows as sqlite3 returns them, dates typed as dates and amounts in 分 as 元 with a
    number format (what any correct export writes)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    con = sqlite3.connect(db_path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(headers)
    fromiso = date.fromisoformat
    money = {}
    for i in money_columns:
        money[i] = WriteOnlyCell(ws)
        money[i].number_format = "#,##0.00"
    for row in con.execute(select_sql):
        row = list(row)
        for i in date_columns:
            if row[i]:
                row[i] = fromiso(row[i])
        for i, c in money.items():
            c.value = row[i] / 100 if row[i] is not None else None
            row[i] = c
        ws.append(row)
    wb.save(out)
    con.close()


def export_members(folder, n: int):
    from app.fields.members import MEMBER

    db, actor = members_db(folder, n, "export.db")
    return db, actor, "members", MEMBER_SELECT, [f.label for f in MEMBER.fields], (3, 11), ()


RELIEF_SELECT = (
    "SELECT paid_on, kind, recipient_kind, archive_id, recipient_name, recipient_id_number, unit_id, "
    "campaign_id, cash_fen, goods_kind, goods_unit, goods_qty, goods_value_fen, fund_source, batch, "
    "paid_by, signed_by, proxy_relation, reason, note FROM hardship_ledger "
    "ORDER BY paid_on, created_at, id")


def export_relief(folder, n: int):
    """A demo county (20,000 members, 400 households), then ``n`` ledger lines over three years
    (payouts with goods, reversals, 意外救助, enterprise visits: ``bench_hardship_stats``)."""
    from bench_hardship_stats import fill_ledger

    from app.excel.registry import kind

    db, actor = members_db(folder, 20_000, "relief.db")
    with db.raw_connection() as conn:
        have = conn.execute("SELECT count(*) FROM hardship_ledger").fetchone()[0]
    fill_ledger(db, actor, max(0, n - have))
    return db, actor, "relief", RELIEF_SELECT, [f.label for f in kind("relief").fields], (0,), (8, 12)


EXPORT_CASES = {"members": export_members, "relief": export_relief}


def bare_import_members(db_path, xlsx) -> None:
    """openpyxl read-only, union names to ids, executemany of the raw values with constant stamps."""
    from openpyxl import load_workbook

    con = sqlite3.connect(db_path, isolation_level=None)
    unions = dict(con.execute("SELECT name, id FROM units"))
    wb = load_workbook(xlsx, read_only=True)
    rows = wb.worksheets[0].iter_rows(min_row=3, values_only=True)
    sql = ("INSERT INTO members (id, name, name_pinyin, name_initials, id_number, gender, birth_date, "
           "ethnicity, political_status, education, phone, union_id, department, post, joined_on, "
           "card_no, status, is_migrant_worker, is_model_worker, notes, owner_unit_id, created_at, "
           "created_by, updated_at, updated_by, revision, change_seq, vv, deleted) VALUES "
           "(?, ?, '', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '2020-01-01', 'b', "
           "'2020-01-01', 'b', 1, 0, '{}', 0)")
    # every new member's 会籍 starts with its 入会 event (the app writes it with the member)
    event_sql = ("INSERT INTO membership_events (id, member_id, ordinal, kind, event_date, union_id, "
                 "owner_unit_id, created_at, created_by, updated_at, updated_by, revision, change_seq, "
                 "vv, deleted) VALUES (?, ?, 1, 'join', ?, ?, NULL, '2020-01-01', 'b', '2020-01-01', "
                 "'b', 1, 0, '{}', 0)")
    batch, events = [], []
    for r in rows:
        r = tuple(r) + (None,) * (17 - len(r))  # read-only rows stop at the last filled cell
        mid, union = str(uuid.uuid4()), unions.get(r[8])
        batch.append((mid, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                      union, r[9], r[10], r[11], r[12], r[13], r[14] == "是",
                      r[15] == "是", r[16]))
        events.append((str(uuid.uuid4()), mid, r[11], union))
    con.execute("BEGIN")
    con.executemany(sql, batch)
    con.executemany(event_sql, events)
    con.execute("COMMIT")
    con.close()
    wb.close()


def import_members(folder, n: int):
    """A file of ``n`` members exported from one database, imported into copies of it whose
    members were removed (same unions, so every reference resolves)."""
    from openpyxl import load_workbook

    from app.excel.export import export_kind

    db, actor = members_db(folder, n, "source.db")
    xlsx = folder / "members.xlsx"
    export_kind(db, actor, "members", xlsx)
    db.close()
    # As a person hands it in: opened and saved again (Excel, WPS and openpyxl's ordinary mode
    # store text as shared strings; the write-only export stores it inline).
    load_workbook(xlsx).save(xlsx)
    copies = []
    for name in ("ours.db", "bare.db"):
        shutil.copy(folder / "source.db", folder / name)
        con = sqlite3.connect(folder / name)
        con.execute("DELETE FROM membership_events")  # the members' 会籍 go with them
        con.execute("DELETE FROM members")
        con.commit()
        con.close()
        copies.append(folder / name)
    return "members", xlsx, copies[0], copies[1], bare_import_members


HARDSHIP_TABLES = ("hardship_plan_notes", "hardship_plans", "hardship_ledger", "hardship_visits",
                   "hardship_study_aid", "hardship_attachments", "hardship_reviews", "hardship_expenses",
                   "hardship_family_members", "hardship_archives")


def bare_import_archives(db_path, xlsx) -> None:
    """openpyxl read-only of the three sheets, union names to ids, each member and expense row to
    its household's new id by the head's ID number, executemany of the raw values."""
    from openpyxl import load_workbook

    from app.excel.registry import kind

    k = kind("archives")
    con = sqlite3.connect(db_path, isolation_level=None)
    unions = dict(con.execute("SELECT name, id FROM units"))
    stamps = ("owner_unit_id", "created_at", "created_by", "updated_at", "updated_by", "revision",
              "change_seq", "vv", "deleted")
    constant = (None, "2020-01-01", "b", "2020-01-01", "b", 1, 0, "{}", 0)
    wb = load_workbook(xlsx, read_only=True)
    heads: dict[str, str] = {}
    batches = {}
    not_null = {"hardship_archives": (("name_pinyin", ""), ("name_initials", "")),
                "hardship_family_members": (("sort_order", 0),), "hardship_expenses": ()}
    for sheet, table, keys in (("困难职工档案", "hardship_archives", list(k.columns)),
                               ("家庭成员", "hardship_family_members", list(k.children[0].columns)),
                               ("刚性支出", "hardship_expenses", list(k.children[1].columns))):
        child = table != "hardship_archives"
        extra = not_null[table]
        cols = ["id", *(["archive_id"] if child else []), *keys, *(c for c, _ in extra), *stamps]
        fixed = (*(v for _, v in extra), *constant)
        rows = []
        for r in wb[sheet].iter_rows(min_row=3, values_only=True):
            r = tuple(r) + (None,) * (len(keys) + 2 - len(r))
            rid = str(uuid.uuid4())
            if child:
                rows.append((rid, heads.get(r[0]), *r[2:2 + len(keys)], *fixed))
            else:
                values = list(r[:len(keys)])
                values[keys.index("union_id")] = unions.get(values[keys.index("union_id")])
                heads[values[keys.index("id_number")]] = rid
                rows.append((rid, *values, *fixed))
        batches[table] = (f"INSERT INTO {table} ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})", rows)
    con.execute("BEGIN")
    for sql, rows in batches.values():
        con.executemany(sql, rows)
    con.execute("COMMIT")
    con.close()
    wb.close()


def import_archives(folder, n: int):
    """A file of ``n`` households exported (with their 家庭成员 and 刚性支出 sheets) from a demo
    county, imported into copies of the same county whose hardship records were removed."""
    from openpyxl import load_workbook

    from app.excel.export import export_kind

    db, actor = members_db(folder, n * 50, "source.db")
    xlsx = folder / "archives.xlsx"
    export_kind(db, actor, "archives", xlsx)
    db.close()
    load_workbook(xlsx).save(xlsx)  # as a person hands it back: opened and saved again
    copies = []
    for name in ("ours.db", "bare.db"):
        shutil.copy(folder / "source.db", folder / name)
        con = sqlite3.connect(folder / name)
        for table in HARDSHIP_TABLES:  # append-only tables: their guard triggers go first
            for (trigger,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                          "AND tbl_name = ?", (table,)).fetchall():
                con.execute(f"DROP TRIGGER {trigger}")
            con.execute(f"DELETE FROM {table}")
        con.commit()
        con.close()
        copies.append(folder / name)
    return "archives", xlsx, copies[0], copies[1], bare_import_archives


IMPORT_CASES = {"members": import_members, "archives": import_archives}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--export-rows", type=int, default=100_000)
    ap.add_argument("--import-rows", type=int, default=10_000)
    ap.add_argument("--case", action="append", help="only these cases (members, relief, archives)")
    args = ap.parse_args()
    from app.db.engine import open_database
    from app.excel.export import export_kind
    from app.excel.importer import import_file
    from app.models import User
    from app.security.users import actor_for

    for case, setup in EXPORT_CASES.items():
        if args.case and case not in args.case:
            continue
        folder = temp_dir()
        db, actor, kind, select_sql, headers, dates, money = setup(folder, args.export_rows)
        export_kind(db, actor, kind, folder / "warm.xlsx", options={"to": "1990-01-01"})
        with Clock() as ours:
            result = export_kind(db, actor, kind, folder / "ours.xlsx")
        with Clock() as bare:
            bare_export(db.path, select_sql, headers, dates, folder / "bare.xlsx", money)
        print(ratio_line(f"export {case}: {result.rows:,} rows", ours, bare, result.rows, "rows", 1.3))
        db.close()
        shutil.rmtree(folder, ignore_errors=True)

    for case, setup in IMPORT_CASES.items():
        if args.case and case not in args.case:
            continue
        folder = temp_dir()
        kind, xlsx, ours_db, bare_db, bare_fn = setup(folder, args.import_rows)
        db = open_database(ours_db)
        with db.session() as s:
            actor = actor_for(s.query(User).filter_by(username="bench_clerk").one())
        with Clock() as ours:
            report = import_file(db, actor, kind, xlsx)
        assert report.ok and report.written == report.total, report.lines()[:5]
        db.close()
        with Clock() as bare:
            bare_fn(bare_db, xlsx)
        print(ratio_line(f"import {case}: {report.written:,} rows, every check", ours, bare,
                         report.written, "rows", 2.0))
        shutil.rmtree(folder, ignore_errors=True)
    print(f"peak RSS {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
