"""会籍 over time: each change is an event, the member's union, status and 入会日期 derive from the
events on every path (the form and the CLI's ``records.create``, an Excel batch, the demo's bulk
load), every transition is allowed or refused by one rule, and a person is never in two unions
at once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import AppError, ValidationFailed
from app.fields.members import MEMBER
from app.models import Member
from app.models.organisation import MembershipEvent
from app.services import records
from app.services.organisation import membership, transfers
from tests.app.organisation.helpers import event, kinds, new_member, unions
from tests.app.syncnet import id_number

# (status before, kind) -> allowed; every kind from every status (None: no event yet)
STATUSES = (None, "1", "2", "3", "4", "5", "6")
ALLOWED = {
    ("join", None), ("join", "4"), ("transfer_in", None), ("transfer_in", "2"),
    ("transfer_out", "1"), ("transfer_out", "3"), ("retain", "1"), ("resume", "3"),
    ("leave", "1"), ("leave", "3"), ("expel", "1"), ("expel", "3"),
    ("death", "1"), ("death", "2"), ("death", "3"),
}


@pytest.mark.parametrize("kind", sorted(membership.STATUS_AFTER))
def test_every_transition_is_allowed_or_refused_by_the_rule(kind):
    for status in STATUSES:
        assert (membership.refusal(status, kind) is None) == ((kind, status) in ALLOWED), (kind, status)


def test_a_member_starts_with_its_joining_and_its_state_follows_the_events(db, clerk):
    with db.session(clerk) as s:
        a, b, _ = unions(s)
        m = new_member(s, clerk, a, 101)
        assert kinds(s, m.id) == ["join"] and m.status == "1" and str(m.joined_on) == "2020-03-05"
        event(s, clerk, m.id, "retain", "2024-01-02", reason="1")
        assert (m.status, m.union_id) == ("3", a)
        event(s, clerk, m.id, "resume", "2024-05-06")
        event(s, clerk, m.id, "transfer_out", "2024-07-01", to_union_id=b)
        assert (m.status, m.union_id) == ("2", a)  # gone from a, not yet in b: in no union
        event(s, clerk, m.id, "transfer_in", "2024-07-03")  # the union the 转出 named
        assert (m.status, m.union_id) == ("1", b)
        event(s, clerk, m.id, "leave", "2025-01-01", notes="本人申请")
        assert m.status == "4"
        event(s, clerk, m.id, "join", "2025-03-01", union_id=a)  # rejoins: a new 入会日期
        assert (m.status, m.union_id, str(m.joined_on)) == ("1", a, "2025-03-01")
        event(s, clerk, m.id, "expel", "2025-06-01", doc_no="处分〔2025〕1号")
        with pytest.raises(ValidationFailed, match="开除会籍者不能重新入会"):
            event(s, clerk, m.id, "join", "2025-07-01", union_id=a)
        assert kinds(s, m.id) == ["join", "retain", "resume", "transfer_out", "transfer_in", "leave",
                                  "join", "expel"]
        assert [e.ordinal for e in membership.events_of(s, m.id)] == [1, 3, 4, 5, 6, 7, 8, 9]


def test_never_in_two_unions_at_once(db, clerk):
    with db.session(clerk) as s:
        a, b, c = unions(s)
        m = new_member(s, clerk, a, 103)
        with pytest.raises(ValidationFailed, match="须先办理转出"):
            event(s, clerk, m.id, "transfer_in", "2024-01-01", union_id=b)
        with pytest.raises(ValidationFailed, match="已是.*的会员"):  # a second record of the person
            new_member(s, clerk, c, 103)
        transfers.transfer_within(s, clerk, m.id, b, "2024-02-01")
        assert (m.union_id, m.status) == (b, "1")
        event(s, clerk, m.id, "transfer_out", "2024-03-01", to_place="外省某公司")
        with pytest.raises(ValidationFailed, match="已有会员记录.*转出"):  # one record of a person
            new_member(s, clerk, c, 103, joined="2024-03-02")
        event(s, clerk, m.id, "transfer_in", "2024-04-02", union_id=a)  # coming back is 转入 on it
        assert (m.union_id, m.status) == (a, "1")
    with db.session(clerk) as s:
        active = s.scalars(select(Member).where(Member.id_number == m.id_number,
                                                Member.status.in_(membership.ACTIVE))).all()
        assert len(active) <= 1


def test_dates_keep_their_order_and_a_transfer_says_where_to(db, clerk):
    with db.session(clerk) as s:
        a, b, _ = unions(s)
        m = new_member(s, clerk, a, 105)
        event(s, clerk, m.id, "retain", "2024-05-01", reason="2")
        with pytest.raises(ValidationFailed) as exc:
            event(s, clerk, m.id, "transfer_out", "2024-04-01")
        assert exc.value.errors == {"event_date": "不能早于该会员上一条会籍记录的日期 2024-05-01",
                                    "to_union_id": "请填写转往的基层工会(本县)或转往县(区)和单位"}
        with pytest.raises(ValidationFailed, match="转往的工会与会员当前所在工会相同"):
            event(s, clerk, m.id, "transfer_out", "2024-06-01", to_union_id=a)
        with pytest.raises(ValidationFailed, match="本县内转接请选择转往的基层工会"):
            event(s, clerk, m.id, "transfer_out", "2024-06-01", to_county_code="341122")
        with pytest.raises(ValidationFailed, match="原因"):
            event(s, clerk, new_member(s, clerk, b, 107).id, "retain", "2024-06-01")


def test_union_status_and_joining_date_change_only_by_events(db, clerk):
    with db.session(clerk) as s:
        a, b, _ = unions(s)
        m = new_member(s, clerk, a, 109)
        for values in ({"union_id": b}, {"status": "3"}, {"joined_on": "2021-01-01"}):
            with pytest.raises(ValidationFailed, match="会籍"):
                records.update(s, clerk, "member", m.id, values)
        records.update(s, clerk, "member", m.id, {"phone": "13912345678", "union_id": a})  # unchanged
        join = membership.events_of(s, m.id)[0]
        records.update(s, clerk, membership.REGISTER, join.id, {"event_date": "2019-12-01"})
        assert str(m.joined_on) == "2019-12-01"  # corrected on the event, derived on the member
        with pytest.raises(ValidationFailed, match="只能更正日期"):
            records.update(s, clerk, membership.REGISTER, join.id, {"kind": "transfer_in"})


def test_voiding_the_latest_event_restores_the_state(db, clerk):
    with db.session(clerk) as s:
        a, b, _ = unions(s)
        m = new_member(s, clerk, a, 111)
        out, into = transfers.transfer_within(s, clerk, m.id, b, "2024-02-01")
        with pytest.raises(AppError, match="只能作废会员最近的一条"):
            records.void(s, clerk, membership.REGISTER, out.id)
        records.void(s, clerk, membership.REGISTER, into.id)
        assert (m.union_id, m.status) == (a, "2")
        records.void(s, clerk, membership.REGISTER, out.id)
        assert (m.union_id, m.status) == (a, "1")
        with pytest.raises(AppError, match="入会.*不能作废"):
            records.void(s, clerk, membership.REGISTER, membership.events_of(s, m.id)[0].id)


def test_a_batch_of_members_gets_its_opening_events_in_one_go(db, clerk):
    """The Excel path: ``add_many`` writes the members in bulk, the register's hook their events:
    入会, and for a member registered in another state the event that gives it."""
    with db.session(clerk) as s:
        a, *_ = unions(s)
        rows = [records.clean_or_raise(s, MEMBER, {
            "name": f"批量{i}", "union_id": a, "id_number": id_number("110105", date(1990, 1, 1), 201 + 2 * i),
            "joined_on": "2018-09-01", "status": status}) for i, status in enumerate(("1", "3", "2"))]
        assert records.add_many(s, clerk, "member", rows, source="测试") == 3
        made = s.scalars(select(Member).where(Member.name.like("批量%")).order_by(Member.name)).all()
        assert [kinds(s, m.id) for m in made] == [["join"], ["join", "retain"], ["join", "transfer_out"]]
        for m in made:
            state = membership.fold(membership.events_of(s, m.id), m.joined_on)
            assert (state.union_id, state.status, state.joined_on) == (m.union_id, m.status, m.joined_on)


def test_the_bulk_opening_makes_the_same_events_as_the_single_path(db, clerk):
    """``open_all`` (the demo's million members, in SQL) and ``ensure_opening`` (a member saved
    by the form) agree event for event, ids included."""
    with db.session(clerk) as s:
        a, *_ = unions(s)
        people = [new_member(s, clerk, a, 301 + 2 * i, status=st) for i, st in enumerate(("1", "3", "5"))]
        single = {e.id: (e.member_id, e.ordinal, e.kind, e.event_date, e.union_id, e.reason, e.to_place)
                  for m in people for e in membership.events_of(s, m.id)}
        s.execute(MembershipEvent.__table__.delete().where(MembershipEvent.id.in_(single)))
        assert membership.open_all(s, clerk, "dev") == 5
        bulk = {e.id: (e.member_id, e.ordinal, e.kind, e.event_date, e.union_id, e.reason, e.to_place)
                for e in s.scalars(select(MembershipEvent).where(MembershipEvent.id.in_(single)))}
        s.expire_all()
        assert bulk == single


def test_every_demo_member_s_history_replays_to_its_state(db):
    """The template's demo: each member's events, in order, each allowed after the one before,
    fold to the union, status and 入会日期 stored on the member."""
    with db.read_session() as s:
        members = s.scalars(select(Member).where(Member.deleted.is_(False))).all()
        by_member: dict[str, list] = {}
        for e in s.scalars(select(MembershipEvent).where(MembershipEvent.deleted.is_(False))
                           .order_by(MembershipEvent.member_id, MembershipEvent.ordinal)):
            by_member.setdefault(e.member_id, []).append(e)
        assert len(by_member) == len(members) > 100
        for m in members:
            events, status = by_member[m.id], None
            for e in events:
                assert membership.refusal(status, e.kind) is None, (m.id, status, e.kind)
                status = membership.STATUS_AFTER[e.kind]
            state = membership.fold(events, m.joined_on)
            assert (state.union_id, state.status, state.joined_on) == (m.union_id, m.status, m.joined_on)
        assert any(len(v) > 2 for v in by_member.values())  # the demo changed some memberships
