"""Who owns a record (issue 16, point 1): only the owning unit changes it; the city's 作废, 合并
and 更正 of a county's record are requests that travel down, are applied or declined there, and
whose answer travels back."""

from datetime import date

import pytest
from sqlalchemy import select

from app.models import ChangeRequest, Member, Unit
from app.services import records, requests
from app.services.ownership import OwnedElsewhere
from app.sync import service
from tests.app.syncnet import id_number, member_ids


def _union(node):
    with node.db.read_session() as s:
        return s.scalar(select(Unit.id).where(Unit.kind == "grassroots", Unit.deleted.is_(False),
                                              Unit.code.is_(None)).order_by(Unit.created_at))


def _add(node, name, seq):
    with node.db.session(node.clerk) as s:
        return records.create(s, node.clerk, "member", {
            "name": name, "union_id": _union(node),
            "id_number": id_number("341122", date(1990, 1, 2), seq)}).id


def _edit(node, mid, **values):
    with node.db.session(node.clerk) as s:
        records.update(s, node.clerk, "member", mid, values)


def _deleted(node, mid) -> bool:
    with node.db.read_session() as s:
        return s.get(Member, mid).deleted


def _incoming(node):
    with node.db.read_session() as s:
        return requests.list_requests(s, node.clerk, incoming=True, pending_only=True)


def test_the_city_changes_no_county_record_it_holds(net):
    a1, c = net["a1"], net["c"]
    c.recv(a1.send(c))
    mid = member_ids(a1)[0]
    with c.db.session(c.clerk) as s, pytest.raises(OwnedElsewhere, match="属于示例县总工会"):
        records.update(s, c.clerk, "member", mid, {"phone": "13900001111"})
    with c.db.session(c.clerk) as s, pytest.raises(OwnedElsewhere):
        records.void(s, c.clerk, "member", mid)
    with c.db.session(c.clerk) as s, pytest.raises(OwnedElsewhere, match="只能由示例县总工会登记"):
        records.create(s, c.clerk, "member", {"name": "赵九", "union_id": _union(a1) or _union(c),
                                              "id_number": id_number("341122", date(1991, 1, 1), 71)})
    with pytest.raises(OwnedElsewhere), c.db.session(c.clerk) as s:  # past the service too
        s.get(Member, mid).post = "电工"


def test_a_duplicate_voided_at_the_city_stays_voided_through_the_county(net):
    a1, a2, c = net["a1"], net["a2"], net["c"]
    a2.recv(a1.send(a2))
    c.recv(a1.send(c))
    x1, x2 = _add(a1, "钱七", 41), _add(a2, "钱七", 41)  # one person, entered on both PCs
    c.recv(a1.send(c))
    report = c.recv(a2.send(c))
    assert report.count("duplicates") == 1
    [dup] = [v for v in service.conflicts(c.db, c.clerk) if v.kind == "duplicate"]
    done = service.resolve_duplicate(c.db, c.clerk, dup.id, "void_incoming")
    assert "已请求示例县总工会作废" in done
    assert not _deleted(c, x2)  # nothing changed at the city: the county is the only writer
    _edit(a2, x2, phone="13900002222")  # the county edits the person again meanwhile
    c.recv(a2.send(c))
    assert not _deleted(c, x2)
    # the request travels down to that county only, and waits in its queue
    assert not b_has_requests(net)
    a1.recv(a2.send(a1))
    a1.recv(c.send(a1))
    [req] = _incoming(a1)
    assert (req.action, req.target_id, req.requester) == ("merge", x2, "示例市总工会")
    with a1.db.session(a1.clerk) as s:
        requests.answer(s, a1.clerk, req.id, accept=True)
    assert _deleted(a1, x2) and not _incoming(a1)
    a2.recv(a1.send(a2))
    _edit(a2, x1, phone="13900003333")  # the county's next edit of the person
    c.recv(a1.send(c))
    c.recv(a2.send(c))
    assert _deleted(c, x2) and not _deleted(c, x1)
    with c.db.read_session() as s:
        [sent] = requests.list_requests(s, c.clerk, incoming=False)
        assert sent.status == "applied" and not sent.incoming
        assert s.get(Member, x1).phone == "13900003333"


def b_has_requests(net) -> bool:
    b, c = net["b"], net["c"]
    b.recv(c.send(b))
    with b.db.read_session() as s:
        return s.scalar(select(ChangeRequest.id)) is not None


def test_a_correction_is_declined_with_a_reason_that_travels_back(net):
    a1, c = net["a1"], net["c"]
    c.recv(a1.send(c))
    mid = member_ids(a1)[0]
    with c.db.session(c.clerk) as s:
        requests.request_change(s, c.clerk, "member", mid, "correct", changes={"post": "电工"},
                                reason="档案上写的是电工")
    a1.recv(c.send(a1))
    [req] = _incoming(a1)
    assert [(ch.label, ch.requested) for ch in req.changes] == [("岗位", "电工")]
    with a1.db.session(a1.clerk) as s, pytest.raises(Exception, match="写明理由"):
        requests.answer(s, a1.clerk, req.id, accept=False)
    with a1.db.session(a1.clerk) as s:
        requests.answer(s, a1.clerk, req.id, accept=False, note="本人已调岗为钳工")
    c.recv(a1.send(c))
    with c.db.read_session() as s:
        [sent] = requests.list_requests(s, c.clerk, incoming=False)
        assert (sent.status, sent.note) == ("declined", "本人已调岗为钳工")
        assert s.get(Member, mid).post != "电工"
    # an accepted correction goes through the county's own service (its rules hold)
    with c.db.session(c.clerk) as s:
        requests.request_change(s, c.clerk, "member", mid, "correct", changes={"post": "钳工"},
                                reason="按县里的回复更正")
    a1.recv(c.send(a1))
    [req] = _incoming(a1)
    with a1.db.session(a1.clerk) as s:
        requests.answer(s, a1.clerk, req.id, accept=True)
    c.recv(a1.send(c))
    with c.db.read_session() as s:
        assert s.get(Member, mid).post == "钳工"
