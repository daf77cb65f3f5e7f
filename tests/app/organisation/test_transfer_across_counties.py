"""A member moves from county 341122 to county 341124 through the city, by bundles
(``tests/app/syncnet.py``: a1 and b are the counties, c the city): a1 records the 转出, the city
forwards it, b takes the member in with its history, the city closes the transfer, and a1 learns
where the member went. The person is never active in two unions; the forwarded transfer goes to
the two counties it names and to no other."""

from __future__ import annotations

from datetime import date

import orjson
from sqlalchemy import select

from app.models import Member, SyncConflict, Unit
from app.models.organisation import MembershipTransfer
from app.services import records
from app.services.organisation import membership, transfers
from tests.app.syncnet import member_ids


def _union(node):
    with node.db.read_session() as s:
        return s.scalar(select(Unit.id).where(Unit.kind == "grassroots"))


def test_a_member_moves_to_another_county_through_the_city(net):
    a1, b, c = net["a1"], net["b"], net["c"]
    mid = member_ids(a1)[0]
    with a1.db.session(a1.clerk) as s:
        person = s.get(Member, mid)
        name, number, joined = person.name, person.id_number, person.joined_on
        records.create(s, a1.clerk, membership.REGISTER, {
            "member_id": mid, "kind": "transfer_out", "event_date": date(2026, 3, 2),
            "to_county_code": "341124", "to_place": "邻县机械厂", "doc_no": "JS-2026-007"})
        assert s.get(Member, mid).status == "2"
    c.recv(a1.send(c))
    with c.db.session(c.clerk) as s:
        assert transfers.forward(s, c.clerk) == (1, 0)
        assert transfers.forward(s, c.clerk) == (0, 0)  # forwarded once
    b.recv(c.send(b))
    with b.db.read_session() as s:
        s.info["root_unit_id"] = b.db.root_unit_id
        waiting = transfers.incoming(s, b.clerk)
        assert [(t.name, t.id_number, t.from_county_code, t.letter_no) for t in waiting] == [
            (name, number, "341122", "JS-2026-007")]
        transfer_id = waiting[0].id
    union = _union(b)
    with b.db.session(b.clerk) as s:
        taken = transfers.accept(s, b.clerk, transfer_id, union, "2026-03-09")
        assert (taken.union_id, taken.status, taken.joined_on) == (union, "1", joined)
        history = transfers.history(s, b.clerk, taken.id)
        assert [(h["kind"], h["own"]) for h in history] == [("入会", False), ("转出", False), ("转入", True)]
        assert not transfers.incoming(s, b.clerk)  # taken in once
    c.recv(b.send(c))
    with c.db.session(c.clerk) as s:
        assert transfers.forward(s, c.clerk) == (0, 1)
        t = s.get(MembershipTransfer, transfer_id)
        assert (t.status, t.received_on) == ("received", date(2026, 3, 9))
        records_of_person = s.scalars(select(Member).where(Member.id_number == number)).all()
        assert sorted(m.status for m in records_of_person) == ["1", "2"]  # never active twice
        queued = s.scalars(select(SyncConflict).where(SyncConflict.kind == "duplicate")).all()
        assert queued and {x.status for x in queued} == {"resolved"}  # one person in two counties
    a1.recv(c.send(a1))
    with a1.db.read_session() as s:
        s.info["root_unit_id"] = a1.db.root_unit_id
        out = transfers.history(s, a1.clerk, mid)[-1]
        assert out["kind"] == "转出" and "已转入" in out["note"] and "2026-03-09" in out["note"]


def test_a_forwarded_transfer_goes_only_to_the_counties_it_names(net):
    a1, b, c = net["a1"], net["b"], net["c"]
    with c.db.session(c.clerk) as s:
        other = MembershipTransfer(
            source_event_id="x" * 36, source_member_id="y" * 36, from_county_code="341198",
            from_county_name="某县总工会", from_union_name="某厂工会", to_county_code="341199",
            name="外县人", id_number="110105198506010013", history=orjson.dumps([]).decode(),
            status="forwarded")
        s.add(other)
        s.flush()
        other_id = other.id
    for county in (a1, b):
        county.recv(c.send(county))
        with county.db.read_session() as s:
            assert s.get(MembershipTransfer, other_id) is None
