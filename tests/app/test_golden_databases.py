"""Files written by released versions open in this one: each golden database (tests/golden, made
by that release's own CLI, see make_golden.py) is upgraded to head on a copy, and then holds the
same rows and the same known values, passes the foreign key check, has exactly the schema a new
file gets, and still lets its administrator log in and unlock the exchange keys. (The bundles
kept beside them are imported in test_sync_versions.py.)"""

import gzip
import json
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from app.db import migrate
from app.db.base import Base
from app.db.engine import open_database
from app.db.fts import (
    alembic_include_name,
    is_fts_table,  # a search index's own tables hold its set-up rows
)

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
REVISIONS = sorted(p.name.removesuffix(".db.gz") for p in GOLDEN.glob("*.db.gz"))
WITH_BUNDLES = sorted(p.stem for p in GOLDEN.glob("*.udbx"))


def meta(rev: str) -> dict:
    return json.loads((GOLDEN / f"{rev}.json").read_text(encoding="utf-8"))


def unpack(rev: str, folder: Path) -> Path:
    path = folder / "uniondesk.db"
    path.write_bytes(gzip.decompress((GOLDEN / f"{rev}.db.gz").read_bytes()))
    return path


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as c:
        names = [n for (n,) in c.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                          "AND name NOT LIKE 'sqlite_%'")]
        return {n: c.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def schema(path: Path) -> dict:
    """Every table's columns (name, type, not null, default, primary key), every index (unique,
    partial, columns), trigger and view: what an upgraded file must share with a new one (column
    order aside: ALTER TABLE appends)."""
    out = {}
    with sqlite3.connect(path) as c:
        for kind, name, table in c.execute("SELECT type, name, tbl_name FROM sqlite_master "
                                           "WHERE name NOT LIKE 'sqlite_%'"):
            if kind == "table":
                out[("table", name)] = sorted(tuple(r[1:]) for r in c.execute(f'PRAGMA table_info("{name}")'))
                for _seq, iname, unique, origin, partial in c.execute(f'PRAGMA index_list("{name}")'):
                    cols = [r[2] for r in c.execute(f'PRAGMA index_info("{iname}")')]
                    out[("index", iname)] = (name, unique, origin, partial, cols)
            elif kind in ("trigger", "view"):
                out[(kind, name)] = table
    return out


@pytest.fixture(scope="module")
def fresh_schema(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("fresh") / "fresh.db"
    open_database(path, create=True).close()
    return schema(path)


def _admin(db):
    from sqlalchemy import select

    from app.models import User
    from app.security.users import actor_for

    with db.session() as s:
        return actor_for(s.scalar(select(User).where(User.username == "admin")))


def test_the_released_versions_have_golden_files():
    assert {"0004", "0005", "0006", "0008", "0011"} <= set(REVISIONS)
    assert {"0004", "0005", "0006", "0008", "0011"} <= set(WITH_BUNDLES)
    for rev in REVISIONS:
        assert meta(rev)["revision"] == rev
        # small enough to keep one per release in the repository (each area's demo adds a little)
        assert (GOLDEN / f"{rev}.db.gz").stat().st_size < 600_000


@pytest.mark.parametrize("rev", REVISIONS)
def test_a_golden_database_upgrades_to_head_with_its_data(rev, tmp_path, fresh_schema):
    facts = meta(rev)
    path = unpack(rev, tmp_path)
    before = counts(path)
    assert before == facts["counts"]
    with sqlite3.connect(path) as c:
        assert c.execute("SELECT version_num FROM alembic_version").fetchone()[0] == rev
    db = open_database(path)  # backs up, then upgrades in one transaction
    try:
        assert migrate.current_revision(db) == migrate.head_revision()
        after = counts(path)
        assert {t: after[t] for t in before} == before
        assert all(after[t] == 0 for t in after.keys() - before.keys()
                   if not is_fts_table(t) and t not in CARRIED_OVER)
        with db.raw_connection() as c:
            assert c.execute("PRAGMA foreign_key_check").fetchall() == []
            assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            unit = facts["unit"]
            assert c.execute("SELECT name, code FROM units WHERE id = ?", (unit["id"],)).fetchone() \
                == (unit["name"], unit["code"])
            member = facts["member"]
            assert c.execute("SELECT name, id_number FROM members WHERE id = ?",
                             (member["id"],)).fetchone() == (member["name"], member["id_number"])
            hits = c.execute("SELECT count(*) FROM members_fts WHERE members_fts MATCH ?",
                             (f'"{member["id_number"]}"',)).fetchone()[0]
            assert hits == 1  # found by the search index (built by 0002 for the oldest files)
            if "archive" in facts:
                a, ledger = facts["archive"], facts["ledger"]
                assert c.execute("SELECT archive_no, name, id_number FROM hardship_archives WHERE id = ?",
                                 (a["id"],)).fetchone() == (a["archive_no"], a["name"], a["id_number"])
                assert c.execute("SELECT count(*), sum(cash_fen), sum(goods_value_fen) FROM hardship_ledger"
                                 ).fetchone() == (ledger["entries"], ledger["cash_fen"], ledger["goods_value_fen"])
                assert c.execute("SELECT count(*) FROM hardship_study_aid WHERE student_name_pinyin = ''"
                                 ).fetchone()[0] == 0  # 0006 filled the rows already there
            if int(rev) < 9:  # a file made before 0009: its members' 会籍 events come from the upgrade
                _members_carried_over(c)
        backups = list((tmp_path / "backups").glob(f"*pre-migrate-{rev}*.db"))
        assert len(backups) == (rev != migrate.head_revision())
        _login_and_unlock(db, facts, rev)
    finally:
        db.close()
    assert schema(path) == fresh_schema
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": alembic_include_name})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


# tables a migration fills from the rows already there (the others start empty)
CARRIED_OVER = {"membership_events"}
STATUS_EVENT = {"2": "transfer_out", "3": "retain", "4": "leave", "5": "expel", "6": "death"}


def _members_carried_over(c) -> None:
    """0009: every member has its 入会 in its union on its 入会日期 (ordinal 1) and, when its
    status is not 正常, the event that gives it (ordinal 2); the events fold to the member's
    stored state, and the change counter is past their change numbers."""
    from datetime import date

    from app.services.organisation.membership import fold, opening_event_id

    members = c.execute("SELECT id, union_id, status, joined_on FROM members").fetchall()
    assert members
    events: dict[str, list] = {}
    for row in c.execute("SELECT id, member_id, ordinal, kind, event_date, union_id, deleted, vv "
                         "FROM membership_events ORDER BY member_id, ordinal"):
        events.setdefault(row[1], []).append(row)
    assert sum(len(v) for v in events.values()) == len(members) + sum(s in STATUS_EVENT for _, _, s, _ in members)
    for mid, union, status, joined in members:
        rows = events[mid]
        assert [(r[0], r[2], r[3], r[5]) for r in rows] == [
            (opening_event_id(mid, 1), 1, "join", union),
            *([(opening_event_id(mid, 2), 2, STATUS_EVENT[status], union)] if status in STATUS_EVENT else [])]
        assert rows[0][4] == joined and all(not r[6] and r[7] == "{}" for r in rows)

        class E:  # as fold reads an event
            def __init__(self, r):
                self.kind, self.union_id = r[3], r[5]
                self.event_date = date.fromisoformat(r[4]) if r[4] else None

        state = fold([E(r) for r in rows], date.fromisoformat(joined) if joined else None)
        assert (state.union_id, state.status) == (union, status)
    top = c.execute("SELECT max(change_seq) FROM membership_events").fetchone()[0]
    assert int(c.execute("SELECT value FROM local_state WHERE key = 'change_seq'").fetchone()[0]) >= top


def _login_and_unlock(db, facts: dict, rev: str) -> None:
    from app.security.users import authenticate
    from app.sync import keyslots

    actor = authenticate(db, "admin", facts["admin_password"])
    assert actor.username == "admin"
    if rev != "0001":  # exchange keys came with 0003
        assert len(keyslots.unlock(db, actor, facts["admin_password"])) == 32
