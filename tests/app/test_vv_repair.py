"""A row an earlier version stored with an unreadable version vector no longer jams the exchange:
an export of it does not fail, an edit of it does not fail, and the start-up repairs it once."""

from __future__ import annotations

import json

from sqlalchemy import select, text

from app.models import AuditEntry, Member
from app.services import records


def _garble(node, row_id: str, vv: str) -> None:
    with node.db.raw_connection() as conn:
        conn.execute("UPDATE members SET vv = ? WHERE id = ?", (vv, row_id))
        conn.commit()


def _members(node) -> list[str]:
    with node.db.read_session() as s:
        return list(s.scalars(select(Member.id).where(Member.deleted.is_(False)).order_by(Member.id)))


def test_an_export_of_a_garbled_row_does_not_fail(net):
    a, c = net["a1"], net["c"]
    victim = _members(a)[0]
    _garble(a, victim, "不是JSON{")
    report = c.recv(a.send(c))  # exit 70 (JSONDecodeError) before
    refused = [it for it in report.items if it.kind == "refused"]
    assert [it.row_id for it in refused if it.table == "members"] == [victim]  # that row only,
    assert all("引用的记录被拒收" in it.message for it in refused if it.table != "members")  # (and what points at it)
    assert report.count("new") > 0


def test_an_edit_of_a_garbled_row_does_not_fail(net):
    a = net["a1"]
    victim = _members(a)[0]
    _garble(a, victim, "[1, 2")
    with a.db.session(a.clerk) as s:
        records.update(s, a.clerk, "member", victim, {"post": "电工"})
    with a.db.read_session() as s:
        vv = json.loads(s.scalar(select(Member.vv).where(Member.id == victim)))
    assert list(vv) == [a.db.device_id]


def test_the_start_up_repairs_garbled_vectors_once(net):
    from app.sync.repair import bad_version_vectors, repair_version_vectors

    a, c = net["a1"], net["c"]
    ids = _members(a)
    for victim, vv in zip(ids, ("不是JSON{", '["a", 1]', '{"dev": -1}')):
        _garble(a, victim, vv)
    with a.db.read_session() as s:
        assert sorted(bad_version_vectors(s)["members"]) == sorted(ids[:3])
    assert repair_version_vectors(a.db, force=True) == 3
    assert repair_version_vectors(a.db) == 0  # once per version
    with a.db.read_session() as s:
        assert bad_version_vectors(s) == {}
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "repair_version_vectors"))
        assert entry is not None and "3 条" in entry.summary
    report = c.recv(a.send(c))
    assert report.count("refused") == 0


def test_startup_open_runs_the_repair(net):
    from app.services.startup import Startup

    a = net["a1"]
    victim = _members(a)[0]
    _garble(a, victim, "不是JSON{")
    with a.db.raw_connection() as conn:
        conn.execute("DELETE FROM local_state WHERE key = 'vv_checked_version'")
        conn.commit()
    path = a.db.path
    a.db.close()
    start = Startup(path, program="cli")
    start.begin(integrity=False)
    try:
        db = start.open()
        with db.read_session() as s:
            vv = s.execute(text("SELECT vv FROM members WHERE id = :i"), {"i": victim}).scalar()
        assert json.loads(vv) and list(json.loads(vv)) == [db.device_id]
    finally:
        start.close(backup=False)
        from app.db.engine import open_database

        a.db = open_database(path)  # for the fixture's clean-up
