"""The rules of the area's other registers and what they give the home page and the statistics:
elections (quorum, 差额, majority, the term's end and its reminder within six months), 职工之家
(the scoring sheet against its criteria's full marks, the re-check year and its 待办), 职工书屋
(a donation belongs to the room's union, loans only where the room keeps them), training (a
trainee picked from the members), and ``stats organisation`` beside the records it counts."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.clock import today
from app.errors import ValidationFailed
from app.models import Member, Unit
from app.models.organisation import BookDonation, Election, MembershipEvent, Trainee
from app.services import dashboard, records
from app.services.organisation import elections, homes, reading, training
from tests.app.organisation.helpers import unions
from tests.app.test_cli import cli
from tests.conftest import PASSWORDS

ELECTION = {"term_no": 3, "election_on": "2024-05-20", "term_years": 5, "eligible": 90, "present": 70,
            "seats": 7}


def test_an_election_keeps_the_rules_of_the_regulations(db, clerk):
    with db.session(clerk) as s:
        union, town = unions(s, 1)[0], s.scalar(select(Unit.id).where(Unit.kind == "township").limit(1))
        e = records.create(s, clerk, elections.REGISTER, {**ELECTION, "union_id": union, "candidates": 8})
        assert (e.term_ends_on, e.margin) == (date(2029, 5, 19), 1)
        cases = (({"present": 60}, "present", "三分之二"), ({"present": 95}, "present", "不能多于"),
                 ({"candidates": 7}, "candidates", "差额率"), ({"union_id": town}, "union_id", "基层工会"))
        for change, key, words in cases:
            with pytest.raises(ValidationFailed) as exc:
                records.create(s, clerk, elections.REGISTER, {**ELECTION, "union_id": union,
                                                              "candidates": 8, **change})
            assert words in exc.value.errors[key]
        rows = [{"name": f"候选{i}", "position": "committee", "votes": 46 - i, "elected": i < 7}
                for i in range(8)]
        with pytest.raises(ValidationFailed) as exc:  # 46 − 1 … : 45 is half of 90, not more
            records.create(s, clerk, elections.REGISTER, {**ELECTION, "union_id": union, "candidates": 1,
                                                          "candidates_list": rows})
        assert exc.value.errors == {"candidates_list[1].elected": "得票须超过应到会人数的半数(46 票)才能当选",
                                    **{f"candidates_list[{i}].elected": "得票须超过应到会人数的半数(46 票)才能当选"
                                       for i in range(2, 7)}}
        rows = [{**r, "votes": 60 - i, "elected": i < 7} for i, r in enumerate(rows)]
        e = records.create(s, clerk, elections.REGISTER, {**ELECTION, "union_id": union, "candidates": 1,
                                                          "candidates_list": rows})
        assert e.candidates == 8  # counted from the list
        assert len(records.child_rows(s, clerk, elections.REGISTER, e.id, "candidates_list")) == 8


def test_a_term_ending_within_six_months_is_a_reminder(db, clerk):
    with db.session(clerk) as s:
        union = unions(s, 1)[0]
        for e in s.scalars(select(Election).where(Election.union_id == union)):
            e.deleted = True
        soon = today() - timedelta(days=5 * 365 - 100)  # a five-year term ending in about 100 days
        e = records.create(s, clerk, elections.REGISTER, {**ELECTION, "union_id": union, "candidates": 8,
                                                          "election_on": soon})
    with db.read_session() as s:
        soonest = elections.terms_due(s)
        due = {d.election_id: d for d in soonest}
        assert e.id in due and not due[e.id].overdue
        todos = [t for t in dashboard.todos(s, clerk) if t.text.startswith("换届")]
        opened = [t.target.filters.get("open") for t in todos]
        assert opened[:8] == [d.election_id for d in soonest[:8]]  # the soonest first, each opening its election
        assert todos[0].level == ("urgent" if soonest[0].overdue else "warn")
        later = elections.terms_due(s, on=today() - timedelta(days=200))  # seen from earlier: not yet
        assert e.id not in {d.election_id for d in later}
    with db.session(clerk) as s:  # the next election ends the reminder
        records.create(s, clerk, elections.REGISTER, {**ELECTION, "union_id": union, "candidates": 8,
                                                      "term_no": 4, "election_on": today()})
    with db.read_session() as s:
        assert e.id not in {d.election_id for d in elections.terms_due(s)}


def test_a_home_is_scored_named_and_rechecked(db, clerk):
    with db.session(clerk) as s:
        union = unions(s, 1)[0]
        base = {"union_id": union, "award_kind": "home", "level": "4", "applied_on": "2023-03-01"}
        with pytest.raises(ValidationFailed) as exc:
            records.create(s, clerk, homes.REGISTER, {**base, "scores": [{"criterion": "1", "points": 25}]})
        assert exc.value.errors == {"scores[0].points": "该项满分 20 分"}
        with pytest.raises(ValidationFailed, match="命名文号"):
            records.create(s, clerk, homes.REGISTER, {**base, "named_on": "2023-05-01"})
        award = records.create(s, clerk, homes.REGISTER, {
            **base, "named_on": "2023-05-01", "naming_no": "示工〔2023〕9号",
            "scores": [{"criterion": "1", "points": 18}, {"criterion": "2", "points": 19}]})
        assert (award.score, award.recheck_year) == (37, 2026)
    with db.read_session() as s:
        due = homes.rechecks_due(s, on=date(2026, 7, 1))
        assert award.id in {r.award_id for r in due}
        assert award.id not in {r.award_id for r in homes.rechecks_due(s, on=date(2025, 7, 1))}
    with db.session(clerk) as s:
        records.update(s, clerk, homes.REGISTER, award.id, {"rechecked_on": "2026-06-01", "recheck_result": "1"})
    with db.read_session() as s:
        assert award.id not in {r.award_id for r in homes.rechecks_due(s, on=date(2026, 7, 1))}


def test_books_belong_to_the_room_s_union_and_loans_where_it_keeps_them(db, clerk):
    with db.session(clerk) as s:
        union = unions(s, 1)[0]
        room = records.create(s, clerk, reading.ROOMS, {"union_id": union, "name": "一车间职工书屋",
                                                        "books_held": 1200})
        gift = records.create(s, clerk, reading.DONATIONS, {
            "room_id": room.id, "donated_on": "2026-04-23", "donor": "县总工会", "titles": 120,
            "copies": 600, "list_price_fen": "18,000.00"})
        assert (gift.union_id, gift.list_price_fen) == (union, 1_800_000)
        with pytest.raises(ValidationFailed, match="登记借阅"):
            records.create(s, clerk, reading.LOANS, {"room_id": room.id, "borrower": "张三",
                                                     "book_title": "工会法释义", "lent_on": "2026-05-01"})
        records.update(s, clerk, reading.ROOMS, room.id, {"keeps_loans": True})
        member = s.scalar(select(Member).where(Member.union_id == union).limit(1))
        loan = records.create(s, clerk, reading.LOANS, {"room_id": room.id, "member_id": member.id,
                                                        "book_title": "工会法释义", "lent_on": "2026-05-01"})
        assert (loan.borrower, loan.union_id) == (member.name, union)


def test_a_trainee_is_picked_from_the_members(db, clerk):
    with db.session(clerk) as s:
        root = s.info["root_unit_id"]
        session = records.create(s, clerk, training.SESSIONS, {
            "title": "基层工会主席培训班", "kind": "1", "union_id": root, "starts_on": "2026-05-11", "hours": 16})
        member = s.scalar(select(Member).where(Member.status == "1").limit(1))
        t = records.create(s, clerk, training.TRAINEES, {"session_id": session.id, "member_id": member.id,
                                                         "assessment": "2"})
        assert (t.name, t.union_id, t.held_on, t.hours) == (member.name, member.union_id, date(2026, 5, 11), 16)
        with pytest.raises(ValidationFailed, match="已在本班名单中"):
            records.create(s, clerk, training.TRAINEES, {"session_id": session.id, "member_id": member.id})


def test_stats_organisation_counts_the_records_behind_each_figure(db_path, db):
    r = cli("--db", db_path, "--user", "clerk", "stats", "organisation", "--from", "2000-01-01",
            "--to", str(today()), "--json", password=PASSWORDS["clerk"])
    assert r.returncode == 0, r.stderr
    figures = {f["key"]: f for f in json.loads(r.stdout)["figures"]}
    assert {"unions_founded", "members_joined", "members_transferred_in", "members_transferred_out",
            "members_left", "elections_held", "elections_due", "homes_named", "books_donated",
            "books_list_price", "trainees"} <= set(figures)
    with db.read_session() as s:
        live = (MembershipEvent.deleted.is_(False), MembershipEvent.event_date <= today())
        joins = s.scalar(select(func.count()).select_from(MembershipEvent).where(
            *live, MembershipEvent.kind == "join", MembershipEvent.event_date >= date(2000, 1, 1)))
        copies = s.scalar(select(func.sum(BookDonation.copies)).where(BookDonation.deleted.is_(False)))
        trainees = s.scalar(select(func.count()).select_from(Trainee).where(Trainee.deleted.is_(False)))
    assert figures["members_joined"]["value"] == joins > 0
    assert figures["books_donated"]["value"] == copies and figures["books_donated"]["unit"] == "册"
    assert figures["trainees"]["value"] == trainees and figures["trainees"]["unit"] == "人次"
    assert figures["members_joined"]["records"]["filters"]["kind"] == "join"
    plain = cli("--db", db_path, "--user", "clerk", "stats", "organisation", "--from", "2026-01-01",
                "--to", "2026-06-30", password=PASSWORDS["clerk"])
    assert "新入会会员" in plain.stdout and "赠送图书" in plain.stdout and "人次" in plain.stdout


def test_stats_organisation_for_one_township_counts_only_its_unions(db_path, db):
    from app.services.units import subtree_ids

    with db.read_session() as s:
        town = s.scalar(select(Unit).where(Unit.kind == "township", Unit.code.is_not(None)).order_by(Unit.name)
                        .limit(1))
        joins = s.scalar(select(func.count()).select_from(MembershipEvent).where(
            MembershipEvent.deleted.is_(False), MembershipEvent.kind == "join",
            MembershipEvent.event_date.between(date(2000, 1, 1), today()),
            MembershipEvent.union_id.in_(subtree_ids(town.id))))
        everyone = s.scalar(select(func.count()).select_from(MembershipEvent).where(
            MembershipEvent.deleted.is_(False), MembershipEvent.kind == "join",
            MembershipEvent.event_date.between(date(2000, 1, 1), today())))
        code = town.code
    r = cli("--db", db_path, "--user", "clerk", "stats", "organisation", "--from", "2000-01-01",
            "--to", str(today()), "--unit", code, "--json", password=PASSWORDS["clerk"])
    assert r.returncode == 0, r.stderr
    figures = {f["key"]: f for f in json.loads(r.stdout)["figures"]}
    assert 0 < figures["members_joined"]["value"] == joins < everyone
    bad = cli("--db", db_path, "--user", "clerk", "stats", "organisation", "--from", "2000-01-01",
              "--to", str(today()), "--unit", "没有这个工会", password=PASSWORDS["clerk"])
    assert bad.returncode != 0 and "没有这个工会" in bad.stderr
