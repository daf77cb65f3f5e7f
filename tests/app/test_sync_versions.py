"""Bundles across schema versions: a county one release behind the city (or ahead of it) still
exchanges. A bundle of an older schema lacks columns: new records take the defaults (derived
columns are derived), records already here keep their own values. A bundle of a newer schema
has columns and tables this program lacks: they are kept aside in ``sync_extras`` and named in
the reports, never lost. The bundle's integrity checks are as strict as ever, and a newer
container format is still refused.

The bundles of other versions are real ones: written by the sender's export with another
``BundleShape`` (columns dropped or added, a table added, the manifest's schema version), signed
and encrypted with the sender's keys; and, for the released versions, the golden bundles made by
those releases' own code (tests/golden)."""

import gzip
import json
import sqlite3
from datetime import date
from pathlib import Path

import orjson
import pytest
from sqlalchemy import select

from app.db import migrate
from app.models import Member, SyncConflict
from app.services import records
from app.services.organisation.membership import opening_event_id
from app.sync.errors import BundleError
from app.sync.export import BundleShape
from tests.app.syncnet import id_number, member_ids, resign, scalar

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
OLDER = "0006"  # a released revision before head
# members' columns an older program "did not have": plain (defaulted or kept) and derived ones
DROPPED = {"department", "is_model_worker", "name_pinyin", "name_initials", "gender", "birth_date"}
SYNC_COLUMNS = ["id", "owner_unit_id", "created_at", "created_by", "updated_at", "updated_by",
                "revision", "vv", "deleted"]


def _edit(node, member_id, **values):
    with node.db.session(node.clerk) as s:
        records.update(s, node.clerk, "member", member_id, values)


def _add_member(node, name, seq, union_id=None):
    with node.db.session(node.clerk) as s:
        union = union_id or records.get(s, node.clerk, "member", member_ids(node)[0]).union_id
        return records.create(s, node.clerk, "member", {
            "name": name, "union_id": union, "id_number": id_number(node.code, date(1991, 2, 3), seq)}).id


def _dry(node, path):
    from app.sync.importer import import_bundle

    return import_bundle(node.db, node.admin, path, dry_run=True).report


def _extras(node) -> list[tuple]:
    with node.db.read_session() as s:
        conn = s.connection().connection.driver_connection
        return conn.execute("SELECT table_name, row_id, whole_row, columns, vv, schema_version "
                            "FROM sync_extras ORDER BY table_name, row_id").fetchall()


def test_an_older_bundle_imports_missing_columns_defaulted_or_kept(net):
    a1, a2 = net["a1"], net["a2"]
    ids = member_ids(a1)
    _edit(a1, ids[1], department="一车间")
    a2.recv(a1.send(a2))
    _edit(a2, ids[0], department="质检科")  # a2 only; the older sender never sends this column
    _edit(a1, ids[0], phone="13911110000")
    _edit(a1, ids[1], phone="13922220000")
    new = _add_member(a1, "赵六", 71)
    assert scalar(a1, "SELECT is_model_worker FROM members WHERE id = :i", i=new) == 0
    older = a1.send(a2, shape=BundleShape(schema_version=OLDER, drop={"members": DROPPED}))

    before = a2.content_hash()
    dry = _dry(a2, older)
    assert a2.content_hash() == before  # a dry run writes nothing
    assert dry.count("refused") == 0
    notes = "\n".join(dry.schema_notes())
    assert "会员:数据包由较旧版本的程序生成,没有字段 性别、出生日期、部门、劳模、2 个内部字段" in notes
    assert "本机已有的记录保留本机的值" in notes

    report = a2.recv(older)
    tables = {t.table: t for t in report.tables}
    assert (tables["members"].new, tables["members"].updated, tables["members"].conflicts) == (1, 2, 0)
    assert any("没有字段" in line for line in report.lines())
    with a2.db.read_session() as s:
        m0, m1, m_new = s.get(Member, ids[0]), s.get(Member, ids[1]), s.get(Member, new)
        assert (m0.phone, m0.department) == ("13911110000", "质检科")  # merged: a2's column kept
        assert (m1.phone, m1.department) == ("13922220000", "一车间")  # newer: a2's column kept
        assert (m_new.name, m_new.department, m_new.is_model_worker) == ("赵六", None, False)
        assert (m_new.name_pinyin, m_new.name_initials) == ("zhaoliu", "zl")  # derived here
        assert (m_new.birth_date, m_new.gender) == (date(1991, 2, 3), "1")  # from the ID number
        assert s.scalar(select(SyncConflict)) is None
    from app.sync import fieldversions

    with a2.db.read_session() as s:
        conn = s.connection().connection.driver_connection
        assert "department" in fieldversions.read_many(conn, "members", [ids[1]])[ids[1]]
    assert _extras(a2) == []  # nothing to keep aside: the sender had less, not more


def test_a_new_record_lacking_a_required_column_is_refused_with_the_reason(net):
    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    ids = member_ids(a1)
    _edit(a1, ids[2], phone="13933330000")
    new = _add_member(a1, "钱七", 73)
    report = a2.recv(a1.send(a2, shape=BundleShape(schema_version=OLDER,
                                                  drop={"members": {"union_id"}})))
    assert report.applied
    refused = {it.row_id: it for it in report.items if it.kind == "refused"}
    join = opening_event_id(new, 1)  # its 入会 event is refused with it: its member did not come
    assert set(refused) == {new, join}
    assert "较旧版本" in refused[new].message and "必填的“所属基层工会”" in refused[new].message
    assert scalar(a2, "SELECT phone FROM members WHERE id = :i", i=ids[2]) == "13933330000"
    assert scalar(a2, "SELECT count(*) FROM members WHERE id = :i", i=new) == 0


def _newer_shape() -> BundleShape:
    award = SYNC_COLUMNS + ["title"]
    rows = [["aw-1", None, "2026-12-01 08:00:00.000000", "clerk", "2026-12-01 08:00:00.000000",
             "clerk", 1, '{"dev-x":1}', 0, "市级劳动模范"],
            ["aw-2", None, "2026-12-01 08:00:00.000000", "clerk", "2026-12-01 08:00:00.000000",
             "clerk", 1, '{"dev-x":2}', 0, "五一劳动奖章"]]
    return BundleShape(schema_version="0099_future",
                       add={"members": {"wechat": lambda r: f"wx-{r['name']}"}},
                       tables={"union_awards": (award, rows)})


def test_a_newer_bundle_keeps_unknown_columns_and_tables_aside(net):
    a, c = net["a1"], net["c"]
    newer = a.send(c, shape=_newer_shape())
    before = c.content_hash()
    dry = _dry(c, newer)
    assert c.content_hash() == before and _extras(c) == []
    assert any("较新版本" in w for w in dry.warnings)
    notes = "\n".join(dry.schema_notes())
    assert "会员:数据包中有本程序没有的字段 wechat(3 条记录),这些字段的值将另存在本机" in notes
    assert "本程序不认识的记录类型 union_awards(2 条)" in notes and "将原样另存" in notes

    report = c.recv(newer)
    assert report.applied and report.count("refused") == 0
    assert report.count("new") == 3 + 3 + 3  # the county's units, members and their 入会, as from a same version
    assert "已原样另存" in "\n".join(report.lines())
    assert c.stats("341122") == a.stats("341122")
    kept = _extras(c)
    by_member = {r[1]: r for r in kept if r[0] == "members"}
    assert set(by_member) == set(member_ids(a))
    with a.db.read_session() as s:
        names = {m.id: m.name for m in s.scalars(select(Member))}
    for rid, (_t, _r, whole, columns, vv, schema) in by_member.items():
        assert (whole, json.loads(columns), schema) == (0, {"wechat": f"wx-{names[rid]}"}, "0099_future")
        assert vv == scalar(c, "SELECT vv FROM members WHERE id = :i", i=rid)
    awards = [r for r in kept if r[0] == "union_awards"]
    assert [(r[1], r[2], json.loads(r[3])["title"]) for r in awards] == \
        [("aw-1", 1, "市级劳动模范"), ("aw-2", 1, "五一劳动奖章")]
    history = scalar(c, "SELECT counts FROM sync_bundles WHERE direction = 'in' AND kind = 'data'")
    assert {k["table"] for k in json.loads(history)["_kept_aside"]} == {"members", "union_awards"}

    # the same bundle again: refused as a replay, nothing changes
    after = c.content_hash()
    with pytest.raises(BundleError) as exc:
        c.recv(newer)
    assert exc.value.code == "E_REPLAY" and c.content_hash() == after
    # the same rows in a new bundle: nothing new, the kept values stay as they were
    again = c.recv(a.send(c, full=True, shape=_newer_shape()))
    assert again.count("new") == again.count("updated") == 0
    assert _extras(c) == kept
    # a newer version of a record replaces what was kept of it
    mid = member_ids(a)[0]
    _edit(a, mid, name="张三丰")
    c.recv(a.send(c, shape=_newer_shape()))
    row = {r[1]: r for r in _extras(c)}[mid]
    assert json.loads(row[3]) == {"wechat": "wx-张三丰"}


def test_kept_values_can_be_reapplied_once_the_column_exists(net):
    """The statement docs/schema-evolution.md gives a later migration, run as written."""
    import re

    a, c = net["a1"], net["c"]
    c.recv(a.send(c, shape=_newer_shape()))
    doc = (Path(__file__).resolve().parents[2] / "docs" / "schema-evolution.md").read_text(encoding="utf-8")
    statement = re.search(r"```sql\n(.*?)```", doc, re.S).group(1)
    edited = member_ids(a)[1]
    # changed since by its county, in a bundle of this program's own schema (the city itself
    # changes no county record)
    _edit(a, edited, phone="13944440000")
    c.recv(a.send(c))
    with c.db.raw_connection() as conn:
        conn.execute("BEGIN")
        conn.execute("ALTER TABLE members ADD COLUMN wechat TEXT")
        conn.execute(statement)
        got = dict(conn.execute("SELECT id, wechat FROM members WHERE wechat IS NOT NULL"))
        names = dict(conn.execute("SELECT id, name FROM members"))
        conn.execute("ROLLBACK")
    assert got == {mid: f"wx-{names[mid]}" for mid in member_ids(a) if mid != edited}


def test_the_defaults_a_new_record_takes_for_columns_an_older_bundle_lacks():
    import re

    from sqlalchemy import Boolean, Column, DateTime, Integer, String, text

    from app.clock import utcnow
    from app.sync.shapes import column_default, default_value

    conn = sqlite3.connect(":memory:")
    cases = [(Column("a", Integer, default=3, nullable=False), 3),
             (Column("b", Boolean, default=False, nullable=False), 0),
             (Column("c", Integer, server_default="5", nullable=False), 5),
             (Column("d", String(5), server_default="x", nullable=False), "x"),
             (Column("e", String(5), nullable=True), None)]
    for col, want in cases:
        assert default_value(conn, column_default(col)) == want, col.name
    now = Column("f", DateTime, server_default=text("CURRENT_TIMESTAMP"), nullable=False)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", default_value(conn, column_default(now)))
    made = Column("g", DateTime, default=utcnow, nullable=False)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", default_value(conn, column_default(made)))
    assert column_default(Column("h", String(5), nullable=False)) is None  # refused, with the reason


def test_the_newest_version_of_kept_values_wins(tmp_path):
    from app.sync import extras

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE sync_extras (table_name, row_id, whole_row, columns, dots, vv, "
                 "bundle_id, schema_version, received_at, PRIMARY KEY (table_name, row_id))")

    def keep(vv, value):
        return extras.keep(conn, "members", [("m1", vv, {"x": value}, {})], whole_row=False,
                           bundle_id="b", schema_version="0099", now="2026-12-06 00:00:00.000000")

    assert keep('{"a":2}', "second") == 1
    assert keep('{"a":1}', "first") == 0  # older: the kept one stays
    assert keep('{"a":2}', "second") == 0  # the same version again
    assert keep('{"a":2,"b":1}', "third") == 1
    assert conn.execute("SELECT columns FROM sync_extras").fetchone()[0] == '{"x":"third"}'


def test_integrity_checks_stay_strict_for_tables_of_another_version(net, tmp_path):
    a, c = net["a1"], net["c"]
    newer = a.send(c, shape=_newer_shape())

    def count_one_more(m):  # the manifest's summary agrees; the rows read do not
        next(x for x in m["members"] if x.get("table") == "union_awards")["rows"] += 1
        m["counts"]["union_awards"]["rows"] += 1

    def no_vv(m):
        next(x for x in m["members"] if x.get("table") == "union_awards")["columns"].remove("vv")

    for change, code in ((count_one_more, "E_ROWS"), (no_vv, "E_FORMAT")):
        before = c.content_hash()
        with pytest.raises(BundleError) as exc:
            c.recv(resign(a, newer, tmp_path / f"{code}.udbx", change))
        assert exc.value.code == code and c.content_hash() == before
    # changed without signing again: the signature no longer matches
    forged = tmp_path / "forged.udbx"
    import zipfile

    from app.sync import container
    from app.sync.canonical import dumps, loads

    with zipfile.ZipFile(newer) as zin, container.open_writer(forged) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "manifest.json":
                m = loads(data)
                m["schema_version"] = OLDER
                data = dumps(m)
            container.write_member(zout, info.filename, data)
    with pytest.raises(BundleError) as exc:
        c.recv(forged)
    assert exc.value.code == "E_SIG_INVALID"
    c.recv(newer)  # the intact bundle imports


def test_a_newer_container_format_is_still_refused(net, tmp_path):
    a, c = net["a1"], net["c"]
    newer = a.send(c, shape=_newer_shape())
    before = c.content_hash()
    unreadable = resign(a, newer, tmp_path / "format2.udbx",
                        lambda m: m.update(format_version=2, min_reader_version=2))
    with pytest.raises(BundleError) as exc:
        c.recv(unreadable)
    assert exc.value.code == "E_FORMAT_NEWER" and "升级" in exc.value.message
    assert c.content_hash() == before and _extras(c) == []


# -- bundles made by the released versions' own code (tests/golden) ----------------------------
WITH_BUNDLES = sorted(p.stem for p in GOLDEN.glob("*.udbx"))


def _golden(rev: str, folder: Path):
    from app.db.engine import open_database

    path = folder / "uniondesk.db"
    path.write_bytes(gzip.decompress((GOLDEN / f"{rev}.db.gz").read_bytes()))
    return open_database(path)


def _counts(db) -> dict[str, int]:
    with db.raw_connection() as c:
        names = [n for (n,) in c.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                          "AND name NOT LIKE 'sqlite_%'")]
        return {n: c.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


@pytest.mark.parametrize("rev", WITH_BUNDLES)
def test_a_bundle_made_by_a_released_version_imports_here(rev, tmp_path):
    from sqlalchemy import select as sa_select

    from app.models import User
    from app.security.users import actor_for
    from app.sync import keyslots
    from app.sync.importer import import_bundle

    facts = json.loads((GOLDEN / f"{rev}.json").read_text(encoding="utf-8"))
    sent = facts["bundle"]["counts"]
    db = _golden(rev, tmp_path)
    try:
        assert migrate.current_revision(db) == migrate.head_revision()
        with db.session() as s:
            admin = actor_for(s.scalar(sa_select(User).where(User.username == "admin")))
        keyslots.unlock(db, admin, facts["admin_password"])
        before = _counts(db)
        dry = import_bundle(db, admin, GOLDEN / f"{rev}.udbx", dry_run=True).report
        assert _counts(db) == before
        assert dry.count("refused") == 0, dry.lines()
        assert {t.table for t in dry.tables} == set(sent)
        assert {t.table: t.new for t in dry.tables}["members"] == sent["members"]["rows"]
        report = import_bundle(db, admin, GOLDEN / f"{rev}.udbx").report
        assert report.applied and report.count("refused") == 0
        assert [(t.table, t.new, t.updated) for t in report.tables] == \
            [(t.table, t.new, t.updated) for t in dry.tables]
        after = _counts(db)
        assert after["members"] == before["members"] + sent["members"]["rows"]
        assert after["sync_extras"] == 0  # an older sender has nothing this program lacks
        with db.raw_connection() as c:
            assert c.execute("PRAGMA foreign_key_check").fetchall() == []
            if "hardship_study_aid" in sent:  # bundles before 0006 lack the pinyin: derived here
                assert c.execute("SELECT count(*) FROM hardship_study_aid WHERE student_name_pinyin = ''"
                                 ).fetchone()[0] == 0
        with pytest.raises(BundleError) as exc:
            import_bundle(db, admin, GOLDEN / f"{rev}.udbx")
        assert exc.value.code == "E_REPLAY"
        assert {t: n for t, n in _counts(db).items() if t != "audit_log"} == \
            {t: n for t, n in after.items() if t != "audit_log"}
    finally:
        db.close()


def test_an_older_golden_bundle_really_lacks_a_column_of_head():
    """The golden bundles before 0006 are the honest older-schema case: their 金秋助学 rows lack
    student_name_pinyin (added by 0006)."""
    import zipfile

    with zipfile.ZipFile(GOLDEN / "0005.udbx") as zf:
        m = orjson.loads(zf.read("manifest.json"))
    assert m["schema_version"] == "0005"
    aid = next(x for x in m["members"] if x.get("table") == "hardship_study_aid")
    assert "student_name_pinyin" not in aid["columns"] and aid["rows"] >= 1
