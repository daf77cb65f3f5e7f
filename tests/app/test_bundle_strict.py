"""Issue 14 point 3: a bundle row is checked column by column — bookkeeping columns (version
vector, revision, ids, times, the tombstone flag) and the record's fields by the forms' rules — and
a bad row is refused and listed, never stored, so it cannot jam the channel. The manifest's
declared counts, tombstones and attachments are cross-checked against what the bundle holds."""

import types
from datetime import date

import orjson
import pytest
from sqlalchemy import select

from app.models import Unit
from app.services import records
from app.sync.errors import BundleError
from tests.app.syncnet import id_number, member_ids, resign, scalar

FORMULA = '=HYPERLINK("http://example.invalid/?"&B3,"详情")'


def _union(node):
    with node.db.read_session() as s:
        return s.scalar(select(Unit.id).where(Unit.kind == "grassroots", Unit.deleted.is_(False)))


def _add(node, name, seq, **more):
    with node.db.session(node.clerk) as s:
        return records.create(s, node.clerk, "member", {
            "name": name, "union_id": _union(node),
            "id_number": id_number(node.code, date(1988, 3, 4), seq), **more}).id


def _tamper(node, table, row_id, **values):
    """Write ``values`` into a row behind the app's back, as a hostile or broken sender would,
    with a new change number so that the next bundle carries the row."""
    with node.db.raw_connection() as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        seq = int(conn.execute("SELECT value FROM local_state WHERE key = 'change_seq'").fetchone()[0]) + 1
        conn.execute("UPDATE local_state SET value = ? WHERE key = 'change_seq'", (str(seq),))
        sets = ", ".join(f"{k} = ?" for k in values)
        conn.execute(f"UPDATE {table} SET {sets}, change_seq = ? WHERE id = ?",
                     [*values.values(), seq, row_id])
        conn.commit()


@pytest.fixture
def lenient_export(monkeypatch):
    """The sender's own export reads the version vectors it sends; a broken sender's does not."""
    from app.sync import export

    def loads(data):
        try:
            doc = orjson.loads(data)
        except orjson.JSONDecodeError:
            return {}
        return doc if type(doc) is dict else {}

    shim = types.SimpleNamespace(**{k: getattr(orjson, k) for k in dir(orjson) if not k.startswith("_")})
    shim.loads = loads
    monkeypatch.setattr(export, "orjson", shim)


def test_a_bad_row_from_a_trusted_sender_is_refused_listed_and_does_not_jam_the_channel(
        net, lenient_export):
    a, c = net["a1"], net["c"]
    c.recv(a.send(c))
    other = member_ids(a)[0]  # a record c already has
    bad = _add(a, "坏行", 301)
    formula = _add(a, "公式行", 302, notes="=B3&C3")  # a note may look like a formula: it travels as text
    with a.db.session(a.clerk) as s:
        records.update(s, a.clerk, "member", other, {"post": "焊工"})
    good_vv = scalar(a, "SELECT vv FROM members WHERE id = :i", i=bad)
    _tamper(a, "members", bad, vv="不是JSON{", revision=-5, notes="说明\x1b[2J\x00结束", name=FORMULA)
    before = scalar(c, "SELECT count(*) FROM members")

    report = c.recv(a.send(c))

    assert scalar(c, "SELECT count(*) FROM members WHERE id = :i", i=bad) == 0  # never stored
    refused = [it for it in report.items if it.kind == "refused"]
    assert [it.row_id for it in refused if it.table == "members"] == [bad]
    # rows of other tables refused with it only because they point at it
    assert all("引用的记录被拒收" in it.message for it in refused if it.table != "members")
    item = refused[0]
    assert item.title == "会员" or item.table == "members"
    for column in ("版本向量", "修订次数", "备注", "姓名"):  # a formula is no name
        assert column in item.message
    for content in ("HYPERLINK", "\x1b", "\x00", "不是JSON", "说明"):
        assert content not in item.message and content not in item.label
    assert item.label == bad  # named by its id: the refused row's content is not repeated
    # the rest of the bundle applied (a refused row is listed; the others are not held back)
    assert scalar(c, "SELECT post FROM members WHERE id = :i", i=other) == "焊工"
    assert scalar(c, "SELECT notes FROM members WHERE id = :i", i=formula) == "=B3&C3"
    assert scalar(c, "SELECT count(*) FROM members") == before + 1

    # the sender repairs the record; its edits and the next bundles go through
    _tamper(a, "members", bad, vv=good_vv, revision=1, notes="说明", name="好行")
    with a.db.session(a.clerk) as s:
        records.update(s, a.clerk, "member", bad, {"post": "钳工"})
    again = c.recv(a.send(c))
    assert again.count("refused") == 0
    assert scalar(c, "SELECT post FROM members WHERE id = :i", i=bad) == "钳工"
    with a.db.session(a.clerk) as s:
        records.update(s, a.clerk, "member", bad, {"post": "电工"})
    assert c.recv(a.send(c)).count("updated") == 1
    assert scalar(c, "SELECT post FROM members WHERE id = :i", i=bad) == "电工"


@pytest.mark.parametrize("column, value, label", [
    ("vv", '{"dev": 0}', "版本向量"),
    ("vv", '["a", 1]', "版本向量"),
    ("vv", '{"dev": true}', "版本向量"),
    ("revision", -1, "修订次数"),
    ("created_at", "昨天", "创建时间"),
    ("updated_by", "clerk\u202e", "修改人"),
    ("deleted", 2, "作废"),
    ("union_id", "../../etc", "所属基层工会"),
    ("name", "张\u200b三", "姓名"),
    ("name", '=HYPERLINK("http://example.com","点我")', "姓名"),  # a formula is not a name
    ("name", "@SUM(1)", "姓名"),
    ("notes", "第一行\n第二行\u202e", "备注"),
    ("joined_on", "1800-01-01", "入会日期"),
    ("phone", "1380000000x", "手机号码"),
])
def test_each_column_is_checked(net, lenient_export, column, value, label):
    a, c = net["a1"], net["c"]
    c.recv(a.send(c))
    victim = member_ids(a)[1]
    _tamper(a, "members", victim, **{column: value})
    before = scalar(c, "SELECT updated_at FROM members WHERE id = :i", i=victim)
    report = c.recv(a.send(c))
    refused = [it for it in report.items if it.kind == "refused"]
    assert [it.row_id for it in refused] == [victim]
    assert refused[0].message.startswith(label) or f";{label}" in refused[0].message, refused[0].message
    assert scalar(c, "SELECT updated_at FROM members WHERE id = :i", i=victim) == before


def test_multiline_notes_still_travel(net):
    a, c = net["a1"], net["c"]
    c.recv(a.send(c))
    victim = member_ids(a)[2]
    with a.db.session(a.clerk) as s:
        records.update(s, a.clerk, "member", victim, {"notes": "第一行\n\t第二行"})
    assert c.recv(a.send(c)).count("refused") == 0
    assert scalar(c, "SELECT notes FROM members WHERE id = :i", i=victim) == "第一行\n\t第二行"


def test_the_character_rule_fast_path_is_the_rule():
    """The bundle check skips the character rule for printable text: nothing it refuses is printable."""
    from app.validation import characters

    for cp in range(0x10000):
        ch = chr(cp)
        if ch.isprintable():
            assert characters.problem(ch) is None and characters.problem(ch, multiline=True) is None, hex(cp)


@pytest.mark.parametrize("what", ["rows", "tombstones", "attachments", "member_tombstones"])
def test_the_manifest_summary_is_cross_checked(net, tmp_path, what):
    from app.sync.attachments import add_attachment

    a, c = net["a1"], net["c"]
    with a.db.session(a.clerk) as s:
        add_attachment(s, a.clerk, "members", member_ids(a)[0], "x.pdf", b"%PDF-1.4 " + b"x" * 300)
    path = a.send(c)

    def change(m):
        rows = next(x for x in m["members"] if x.get("table") == "members")
        if what == "rows":
            m["counts"]["members"]["rows"] += 1
        elif what == "tombstones":
            m["counts"]["members"]["tombstones"] += 1
        elif what == "attachments":
            m["attachments"] += 1
        else:  # the member and the summary agree, the rows do not
            rows["tombstones"] += 1
            m["counts"]["members"]["tombstones"] += 1

    forged = resign(a, path, tmp_path / "forged.udbx", change)
    before = c.content_hash()
    with pytest.raises(BundleError) as exc:
        c.recv(forged)
    assert exc.value.code in ("E_FORMAT", "E_ROWS")
    assert "作废" in exc.value.message or "清单中声明" in exc.value.message
    assert c.content_hash() == before


def test_an_attachment_no_row_names_is_refused(net, monkeypatch):
    from app.sync import export
    from app.sync.attachments import add_attachment

    a, c = net["a1"], net["c"]
    ids = member_ids(a)
    with a.db.session(a.clerk) as s:
        add_attachment(s, a.clerk, "members", ids[0], "x.pdf", b"%PDF-1.4 " + b"y" * 300)
    stray = scalar(a, "SELECT sha256 FROM attachment_blobs")
    with a.db.raw_connection() as conn:  # the record is voided, its file stays on the PC
        conn.execute("UPDATE attachments SET deleted = 1")
        conn.commit()
    real = export._write_attachments
    monkeypatch.setattr(export, "_write_attachments",  # a sender that adds a file anyway
                        lambda conn, zf, shas, *rest: real(conn, zf, sorted({*shas, stray}), *rest))
    before = c.content_hash()
    with pytest.raises(BundleError) as exc:
        c.recv(a.send(c))
    assert exc.value.code == "E_FORMAT" and "附件不属于" in exc.value.message
    assert c.content_hash() == before
