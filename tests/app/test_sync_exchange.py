"""Round trips between installations: county → city, office PC ↔ office PC, two counties and the
city; incremental bundles, gaps, receipts, attachments, city mode."""

from datetime import date

import pytest
from sqlalchemy import select

from app.models import Attachment, Member, SyncConflict, Unit
from app.services import records, units
from app.sync.errors import BundleError
from tests.app.syncnet import id_number, member_ids, scalar

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _union(node):
    with node.db.read_session() as s:
        return s.scalar(select(Unit.id).where(Unit.kind == "grassroots", Unit.deleted.is_(False)))


def _edit(node, member_id, **values):
    with node.db.session(node.clerk) as s:
        records.update(s, node.clerk, "member", member_id, values)


def _add_member(node, name, seq, union_id=None):
    with node.db.session(node.clerk) as s:
        m = records.create(s, node.clerk, "member", {
            "name": name, "union_id": union_id or _union(node),
            "id_number": id_number(node.code, date(1990, 1, 2), seq)})
        return m.id


def test_county_to_city_stats_agree_and_city_shows_the_county(net):
    a, c = net["a1"], net["c"]
    report = c.recv(a.send(c))
    assert report.applied and report.count("new") == 3 + 3 + 3  # root, township, union, 3 members, their 入会
    assert a.stats("341122") == c.stats("341122")
    with c.db.read_session() as s:
        s.info["root_unit_id"] = c.db.root_unit_id
        depth = {u.code: d for u, d in units.tree(s) if u.code}
    assert depth["341100"] == 0 and depth["341122"] == 1  # the county under the city


def test_reimport_is_a_no_op_that_names_the_first_import(net):
    a, c = net["a1"], net["c"]
    path = a.send(c)
    c.recv(path)
    before = c.content_hash()
    with pytest.raises(BundleError) as exc:
        c.recv(path)
    assert exc.value.code == "E_REPLAY" and "导入过" in exc.value.message
    assert c.content_hash() == before


def test_office_pcs_round_trip_with_edits_deletes_and_attachments(net):
    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    ids = member_ids(a1)
    assert member_ids(a2) == ids
    _edit(a2, ids[0], phone="13911112222")
    with a2.db.session(a2.clerk) as s:
        records.void(s, a2.clerk, "member", ids[1])
        from app.sync.attachments import add_attachment

        att = add_attachment(s, a2.clerk, "members", ids[2], "证明.png", PNG)
    new_id = _add_member(a2, "赵六", 31)
    report = a1.recv(a2.send(a1))
    assert report.attachments_new == 1
    tables = {t.table: t for t in report.tables}
    assert tables["members"].updated == 2 and tables["members"].new == 1
    assert tables["attachments"].new == 1
    assert a1.synced_dump() == a2.synced_dump()
    assert a1.stats("341122") == a2.stats("341122")
    with a1.db.read_session() as s:
        assert s.get(Member, ids[1]).deleted and s.get(Member, new_id).name == "赵六"
        from app.sync.attachments import attachment_data

        assert attachment_data(s, a1.clerk, att.id) == PNG
    # the echo filter: nothing of a2's goes back to a2
    back = a2.recv(a1.send(a2))
    assert back.count("new") == back.count("updated") == back.count("unchanged") == 0


def test_two_counties_and_the_city(net):
    a, b, c = net["a1"], net["b"], net["c"]
    c.recv(a.send(c))
    c.recv(b.send(c))
    assert c.stats("341122") == a.stats("341122") and c.stats("341124") == b.stats("341124")
    # edits and deletes travel incrementally
    ida, idb = member_ids(a), member_ids(b)
    _edit(a, ida[0], department="装配车间")
    with b.db.session(b.clerk) as s:
        records.void(s, b.clerk, "member", idb[0])
    ra = c.recv(a.send(c))
    assert {t.table: t.updated for t in ra.tables} == {"members": 1}
    c.recv(b.send(c))
    assert c.stats("341122") == a.stats("341122") and c.stats("341124") == b.stats("341124")
    # the city sends down its own records and reference data; no county data goes down
    with c.db.session(c.admin) as s:
        from app.services import codes

        codes.update_item(s, c.admin, "ethnicity", "01", label="汉族(市定)")
        records.create(s, c.admin, "unit", {"name": "市直机关工会", "kind": "system",
                                       "parent_id": c.db.root_unit_id})
    with c.db.session(c.clerk) as s:  # a member of a city-level union stays at the city
        city_union = records.create(s, c.admin, "unit", {"name": "市机关工会", "kind": "grassroots",
                                                    "parent_id": c.db.root_unit_id})
        records.create(s, c.clerk, "member", {"name": "周八", "union_id": city_union.id,
                                           "id_number": id_number("341100", date(1979, 5, 6), 51)})
    down = a.recv(c.send(a))
    sent_down = {t.table for t in down.tables if t.new or t.updated}
    # the city's units and reference data (code tables, the working-day calendar); no people
    assert {"units", "code_items"} <= sent_down <= {"units", "code_items", "work_calendar_days",
                                                     "work_calendar_years"}
    assert scalar(a, "SELECT label FROM code_items WHERE table_key='ethnicity' AND code='01'") == "汉族(市定)"
    assert scalar(a, "SELECT count(*) FROM members WHERE owner_unit_id = :o",
                  o=scalar(c, "SELECT id FROM units WHERE code='341124'")) == 0
    assert scalar(a, "SELECT count(*) FROM members WHERE name = '周八'") == 0
    from app.sync.policy import of_people

    assert [t for t in a.stats("341100") if not of_people(t["table"])] == \
        [t for t in c.stats("341100") if not of_people(t["table"])]
    assert scalar(a, "SELECT count(*) FROM membership_events WHERE owner_unit_id = :o",
                  o=c.db.root_unit_id) == 0  # the city member's 入会 stays with it too


def test_a_county_cannot_overwrite_another_countys_records(net):
    a, b, c = net["a1"], net["b"], net["c"]
    c.recv(a.send(c))
    victim = member_ids(a)[0]
    # county b forges a record with the id of county a's member (trying to take it over)
    with b.db.raw_connection() as conn:
        cur = conn.execute("SELECT * FROM members LIMIT 1")
        forged = dict(zip([d[0] for d in cur.description], cur.fetchone()))
        forged.update(id=victim, name="篡改", vv='{"zz":999999}', change_seq=10**9)
        conn.execute(f"INSERT INTO members ({', '.join(forged)}) VALUES ({', '.join('?' * len(forged))})",
                     list(forged.values()))
        conn.commit()
    before = scalar(c, "SELECT name FROM members WHERE id = :i", i=victim)
    report = c.recv(b.send(c))
    assert report.count("refused") >= 1
    assert any(it.row_id == victim and it.kind == "refused" for it in report.items)
    assert scalar(c, "SELECT name FROM members WHERE id = :i", i=victim) == before != "篡改"


def test_a_missing_bundle_is_named_and_a_receipt_lets_the_sender_resend(net):
    a, c = net["a1"], net["c"]
    ids = member_ids(a)
    first = a.send(c)  # #1: lost on the way
    _edit(a, ids[0], post="焊工")
    second = a.send(c)  # #2 builds on #1
    before = c.content_hash()
    with pytest.raises(BundleError) as exc:
        c.recv(second)
    assert exc.value.code == "E_GAP" and "第 1 号" in exc.value.message
    assert exc.value.detail["missing"] == [1]
    assert c.content_hash() == before
    c.recv(first)
    c.recv(second)
    assert c.stats("341122") == a.stats("341122")
    # a receipt: the sender learns what arrived
    from app.sync import service

    receipt = service.write_receipt(c.db, c.admin, c.outbox)
    r = a.recv(receipt)
    assert "第 2 号" in r.warnings[0]
    hist = service.history(a.db, a.admin)
    assert all(h.acked for h in hist if h.direction == "out" and h.kind == "data")
    # after a receipt for #1 only, the next bundle repeats what #2 carried (a lost #2 is healed)
    _edit(a, ids[1], post="钳工")
    third = a.send(c)
    rep = c.recv(third)
    assert rep.count("updated") == 1


def test_a_lost_bundle_is_healed_by_a_full_export(net):
    a, c = net["a1"], net["c"]
    a.send(c)  # lost
    rep = c.recv(a.send(c, full=True))
    assert rep.count("new") == 9 and c.stats("341122") == a.stats("341122")  # with the 3 入会


def test_concurrent_edits_of_different_fields_merge(net):
    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    mid = member_ids(a1)[0]
    _edit(a1, mid, phone="13700001111")
    _edit(a2, mid, department="质检科")
    r2 = a2.recv(a1.send(a2))
    assert any(it.kind == "merged" for it in r2.items)
    a1.recv(a2.send(a1))
    assert a1.synced_dump() == a2.synced_dump()
    with a1.db.read_session() as s:
        m = s.get(Member, mid)
        assert (m.phone, m.department) == ("13700001111", "质检科")
        assert s.scalar(select(SyncConflict)) is None


def test_concurrent_edits_of_one_field_go_to_the_queue_and_the_resolution_travels(net):
    from app.sync import service

    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    mid = member_ids(a1)[0]
    _edit(a1, mid, phone="13700001111")
    _edit(a2, mid, phone="13800002222")
    p1, p2 = a1.send(a2), a2.send(a1)  # crossing in the post
    a2.recv(p1)
    a1.recv(p2)
    assert a1.synced_dump() == a2.synced_dump()  # same provisional winner on both
    queue = service.conflicts(a1.db, a1.clerk)
    assert len(queue) == 1 and queue[0].kind == "edit"
    phone = next(f for f in queue[0].fields if f.key == "phone")
    assert phone.differs and {phone.local, phone.remote} == {"137****1111", "138****2222"}
    service.resolve_edit(a1.db, a1.clerk, queue[0].id, choices={"phone": "local"})
    a2.recv(a1.send(a2))
    with a2.db.read_session() as s:
        assert s.get(Member, mid).phone == "13700001111"
        assert s.scalar(select(SyncConflict.status)) == "superseded"
    a1.recv(a2.send(a1))
    assert a1.synced_dump() == a2.synced_dump()


def test_delete_against_edit_is_a_conflict_not_a_resurrection(net):
    from app.sync import service

    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    mid = member_ids(a1)[0]
    with a1.db.session(a1.clerk) as s:
        records.void(s, a1.clerk, "member", mid)
    _edit(a2, mid, post="电工")
    rep = a2.recv(a1.send(a2))
    assert rep.count("conflicts") == 1
    queue = service.conflicts(a2.db, a2.clerk)
    assert "deleted" in [f.key for f in queue[0].fields if f.differs]


def test_the_same_person_registered_twice_is_a_possible_duplicate(net):
    from app.sync import service

    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    x1 = _add_member(a1, "钱七", 41)
    x2 = _add_member(a2, "钱七", 41)  # same ID number, entered on the other PC
    rep = a2.recv(a1.send(a2))
    assert rep.count("duplicates") == 1
    dup = service.conflicts(a2.db, a2.clerk)[0]
    assert dup.kind == "duplicate" and dup.row_id == x1
    same = {f.key for f in dup.fields if not f.differs}
    assert {"name", "id_number", "birth_date", "gender"} <= same
    service.resolve_duplicate(a2.db, a2.clerk, dup.id, "void_incoming")
    a1.recv(a2.send(a1))
    with a1.db.read_session() as s:
        assert s.get(Member, x1).deleted and not s.get(Member, x2).deleted


def test_an_immutable_table_raises_an_alarm_instead_of_overwriting(net, monkeypatch):
    a1, a2 = net["a1"], net["a2"]
    with a1.db.session(a1.clerk) as s:
        from app.sync.attachments import add_attachment

        att = add_attachment(s, a1.clerk, "members", member_ids(a1)[0], "a.png", PNG).id
    a2.recv(a1.send(a2))
    with a1.db.session(a1.clerk) as s:  # a changed copy (the local guard would refuse this
        s.get(Attachment, att).note = "改过"  # edit on an immutable table, so mark it after)
    monkeypatch.setattr(Attachment, "__immutable__", True, raising=False)
    rep = a2.recv(a1.send(a2))
    assert any(it.kind == "alarm" for it in rep.items)
    with a2.db.read_session() as s:
        assert s.get(Attachment, att).note is None
        assert s.scalar(select(SyncConflict.kind)) == "immutable"


def test_a_copied_database_takes_a_new_device_identity(net, tmp_path):
    import shutil

    from app.db.engine import open_database
    from app.sync import check_identity, take_new_device_identity

    a = net["a1"]
    check_identity(a.db)  # remembers where it lives
    old = a.db.device_id
    a.db.close()
    copy = tmp_path / "elsewhere.db"
    shutil.copyfile(a.path, copy)
    moved = open_database(copy)
    try:
        assert check_identity(moved) is not None and moved.device_id != old
        assert old in scalar_db(moved, "SELECT previous_device_ids FROM installation")
        before = moved.device_id
        new = take_new_device_identity(moved, "测试")
        assert new == moved.device_id != before
    finally:
        moved.close()
    a.db = open_database(a.path)


def scalar_db(db, sql):
    from sqlalchemy import text

    with db.read_session() as s:
        return s.execute(text(sql)).scalar()


def test_a_restored_older_backup_takes_a_new_device_identity(net):
    from app.db.backup import backup_database
    from app.db.engine import open_database
    from app.sync import check_identity

    a, c = net["a1"], net["c"]
    check_identity(a.db)
    backup = backup_database(a.db, reason="test")
    _edit(a, member_ids(a)[0], post="车工")
    a.send(c)  # exported counters beyond the backup
    old = a.db.device_id
    a.db.close()
    import shutil

    shutil.copyfile(backup, a.path)
    a.db = open_database(a.path)
    assert check_identity(a.db) == "数据库从较早的备份恢复"
    assert a.db.device_id != old


def test_owner_policy():
    from app.sync.policy import owner_refusal

    kw = dict(sender_code="341124", sender_level="county", sender_name="邻县", same=False)
    assert owner_refusal(owner_id="x", owner_code="341124", **kw) is None
    assert "无权" in owner_refusal(owner_id="x", owner_code="341122", **kw)
    assert "市总工会" in owner_refusal(owner_id=None, owner_code=None, **kw)
    city = dict(kw, sender_code="341100", sender_level="city")
    assert owner_refusal(owner_id=None, owner_code=None, **city) is None
    assert owner_refusal(owner_id="x", owner_code="341122", **city) is not None
    assert owner_refusal(owner_id="x", owner_code="341122", **dict(kw, same=True)) is None


def test_fast_id_check_agrees_with_the_validator():
    import random

    from app.sync.rows import fast_id_problem
    from app.validation import check_id_number

    rng = random.Random(1)
    good = [id_number(r, date(1950 + i % 60, 1 + i % 12, 1 + i % 28), i % 999)
            for i, r in enumerate(["341122", "110101", "810000", "650102"] * 50)]
    bad = [g[:17] + ("0" if g[17] != "0" else "1") for g in good[:50]]
    bad += [g[:6] + "20991231" + g[14:] for g in good[:10]] + ["99" + g[2:] for g in good[:10]]
    bad += [g.lower() for g in good if g.endswith("X")] + [g[:17] for g in good[:5]]
    for v in good + bad + ["".join(rng.choice("0123456789X") for _ in range(18)) for _ in range(300)]:
        assert (fast_id_problem(v) is None) == (check_id_number(v) is None and v == v.upper()
                                                and len(v) == 18), v


def test_rows_with_invalid_values_are_refused_with_reasons(net):
    """A sender's database damaged by hand: bad check digit, unknown code, a missing union."""
    a, c = net["a1"], net["c"]
    ids = member_ids(a)
    with a.db.raw_connection() as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        bad_id = conn.execute("SELECT id_number FROM members WHERE id=?", (ids[0],)).fetchone()[0]
        bad_id = bad_id[:17] + ("0" if bad_id[17] != "0" else "1")
        conn.execute("UPDATE members SET id_number=?, change_seq=change_seq+1000 WHERE id=?", (bad_id, ids[0]))
        conn.execute("UPDATE members SET ethnicity='99', change_seq=change_seq+1000 WHERE id=?", (ids[1],))
        conn.execute("UPDATE members SET union_id='no-such-union', change_seq=change_seq+1000 WHERE id=?", (ids[2],))
        conn.commit()
        conn.execute("PRAGMA foreign_keys=ON")
    report = c.recv(a.send(c))
    why = {it.row_id: it.message for it in report.items if it.kind == "refused"}
    assert "校验位" in why[ids[0]] and "代码表" in why[ids[1]] and "所属基层工会" in why[ids[2]]
    assert {t.table: t.refused for t in report.tables}["members"] == 3
    assert scalar(c, "SELECT count(*) FROM members") == 0
