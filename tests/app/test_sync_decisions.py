"""Conflicts decided on what they showed (issue 16, point 2): field-level merges beside a real
conflict, decisions that stamp their fields and travel, and a stale resolution that never undoes a
newer one."""

import pytest
from sqlalchemy import select

from app.models import Member, SyncConflict
from app.services import records
from app.sync import service
from app.sync.decisions import ConflictMoved
from tests.app.syncnet import member_ids


def _edit(node, member_id, **values):
    with node.db.session(node.clerk) as s:
        records.update(s, node.clerk, "member", member_id, values)


def _member(node, mid):
    with node.db.read_session() as s:
        m = s.get(Member, mid)
        return {k: getattr(m, k) for k in ("department", "post", "phone", "deleted")}


def _queue(node, kind="edit"):
    return [c for c in service.conflicts(node.db, node.clerk) if c.kind == kind]


def test_one_sided_edits_merge_beside_a_real_conflict(net):
    """PC1 changed 部门 and 手机号码, PC2 岗位 and 手机号码: only 手机号码 is a conflict, and whichever
    version wins it, 部门 and 岗位 are both kept (the provisional winner no longer reverts 部门)."""
    a1, a2, c = net["a1"], net["a2"], net["c"]
    a2.recv(a1.send(a2))
    mid = member_ids(a1)[0]
    _edit(a1, mid, department="一车间", phone="13700001111")
    _edit(a2, mid, post="电工", phone="13800002222")
    p1, p2 = a1.send(a2), a2.send(a1)
    r1, r2 = a1.recv(p2), a2.recv(p1)
    for node, report in ((a1, r1), (a2, r2)):
        assert [i.message.split("(")[0] for i in report.items if i.kind == "conflict"] == ["双方都修改了:手机号码"]
        m = _member(node, mid)
        assert (m["department"], m["post"]) == ("一车间", "电工")
        [conflict] = _queue(node)
        assert [f.key for f in conflict.fields if f.differs] == ["phone"]
    # the city meets the same two versions and reaches the same record
    c.recv(a1.send(c, full=True))
    c.recv(a2.send(c, full=True))
    assert _member(c, mid) == _member(a1, mid) == _member(a2, mid)


def test_edits_of_different_fields_after_a_kept_resolution_merge(net):
    """PC1 changed only 部门 and then kept its 手机号码 in a conflict; PC2 changed only 岗位 meanwhile.
    The resolution stamps the field it decided, so 部门 and 岗位 merge (they were both listed as
    conflicts, and the provisional winner reverted 部门), and PC2's copy of the conflict closes."""
    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    mid = member_ids(a1)[0]
    _edit(a1, mid, phone="13700001111")
    _edit(a2, mid, phone="13800002222")
    p1, p2 = a1.send(a2), a2.send(a1)
    a1.recv(p2)
    a2.recv(p1)
    _edit(a1, mid, department="一车间")
    [conflict] = _queue(a1)
    keep = "local" if conflict.winner == "local" else "remote"  # the value already in place
    service.resolve_edit(a1.db, a1.clerk, conflict.id, keep=keep, seen=conflict.current_vv)
    _edit(a2, mid, post="电工")
    p1, p2 = a1.send(a2), a2.send(a1)
    r1, r2 = a1.recv(p2), a2.recv(p1)
    for node in (a1, a2):
        m = _member(node, mid)
        assert (m["department"], m["post"]) == ("一车间", "电工")
    assert not [i.message for r in (r1, r2) for i in r.items if i.kind == "conflict"]
    assert not _queue(a1) and not _queue(a2)  # the decision travelled and closed PC2's copy


def _two_conflicts_on_one_member(net):
    """a1 queues an older conflict (岗位 车工 vs 钳工) and a newer one (岗位 铣工 vs 电工, with a
    手机号码 a2 changed in the newer version)."""
    a1, a2 = net["a1"], net["a2"]
    a2.recv(a1.send(a2))
    mid = member_ids(a1)[0]
    _edit(a1, mid, post="车工")
    _edit(a2, mid, post="钳工")
    a1.recv(a2.send(a1))  # older conflict: 车工 | 钳工
    _edit(a1, mid, post="铣工")
    _edit(a2, mid, post="电工", phone="13900009999")
    a1.recv(a2.send(a1))  # newer conflict: 铣工 | 电工
    older, newer = sorted(_queue(a1), key=lambda v: v.detected_at)
    return a1, a2, mid, older, newer


def test_a_stale_resolution_never_undoes_a_newer_one(net):
    a1, a2, mid, older, newer = _two_conflicts_on_one_member(net)
    assert {f.remote for f in older.fields if f.key == "post"} == {"钳工"}
    service.resolve_edit(a1.db, a1.clerk, newer.id, choices={"post": "remote"}, seen=newer.current_vv)
    assert _member(a1, mid)["post"] == "电工"
    # the older conflict, decided on the view it had, would put back 钳工: refused
    with pytest.raises(ConflictMoved):
        service.resolve_edit(a1.db, a1.clerk, older.id, keep="remote", seen=older.current_vv)
    with pytest.raises(ConflictMoved):
        service.resolve_edit(a1.db, a1.clerk, older.id, keep="remote")
    m = _member(a1, mid)
    assert (m["post"], m["phone"]) == ("电工", "13900009999")  # nothing the newer decision kept is lost
    # shown again: the current value beside its two versions, still open
    again = next(v for v in _queue(a1) if v.id == older.id)
    post = next(f for f in again.fields if f.key == "post")
    assert again.moved and (post.local, post.remote, post.current) == ("车工", "钳工", "电工")
    # decided on the current view, keeping the current value: closed, nothing reverted
    service.resolve_edit(a1.db, a1.clerk, older.id, choices={"post": "current"}, seen=again.current_vv)
    assert _member(a1, mid) == m | {"post": "电工"}
    assert not _queue(a1)


def test_a_county_conflict_at_the_city_is_the_countys_to_decide(net):
    """The city meets the two versions of a county record too; it cannot decide (the county is
    the only writer) and its item closes when the county's decision arrives."""
    from app.errors import AppError

    a1, a2, c = net["a1"], net["a2"], net["c"]
    a2.recv(a1.send(a2))
    c.recv(a1.send(c))
    mid = member_ids(a1)[0]
    _edit(a1, mid, phone="13700001111")
    _edit(a2, mid, phone="13800002222")
    c.recv(a1.send(c))
    c.recv(a2.send(c))
    [at_city] = _queue(c)
    assert not at_city.owned_here and at_city.owner_name == "示例县总工会"
    assert set(at_city.sides) == {"示例县总工会"}  # both versions came from the county
    with pytest.raises(AppError, match="由示例县总工会处理"):
        service.resolve_edit(c.db, c.clerk, at_city.id, keep="local")
    a1.recv(a2.send(a1))
    [at_county] = _queue(a1)
    service.resolve_edit(a1.db, a1.clerk, at_county.id, keep="remote")
    c.recv(a1.send(c))
    assert not _queue(c)
    with c.db.read_session() as s:
        closed = s.scalar(select(SyncConflict).where(SyncConflict.id == at_city.id))
        assert closed.status == "superseded" and "另一台电脑" in closed.resolution
    assert _member(c, mid) == _member(a1, mid)
