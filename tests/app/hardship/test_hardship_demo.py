"""The demo step: households at every stage, consistent with the rules the services enforce."""

import re
from collections import Counter

from sqlalchemy import select

from app.models import HardshipArchive, HardshipReview, ReliefEntry, StudyAid, Visit
from app.services.hardship import archives, scope
from app.services.hardship import eligibility as elig
from app.services.hardship.identity import find_conflicts
from app.services.hardship.stats import hardship_stats
from app.validation import parse_id_number

STAGES = {"draft", "returned", "applied", "grassroots_ok", "township_ok", "center_ok", "publicizing",
          "publicized", "archived", "exited", "cancelled"}


def test_every_stage_and_grade_with_consistent_history(db):
    with db.read_session() as s:
        rows = s.scalars(select(HardshipArchive)).all()
        assert {a.status for a in rows} == STAGES
        assert {a.category for a in rows} == {"1", "2", "3"}
        numbers = [a.archive_no for a in rows if a.archive_no]
        assert len(numbers) == len(set(numbers)) == sum(a.archived_on is not None for a in rows)
        # the office format 党组审批 gives (workflow.next_archive_no), never a second one
        assert all(re.fullmatch(r"341122-困档-20\d\d-\d{4}", n) for n in numbers), numbers[:3]
        for a in rows:
            history = s.scalars(select(HardshipReview).where(HardshipReview.archive_id == a.id)
                                .order_by(HardshipReview.step_no)).all()
            if a.status == "draft":
                assert history == []
                continue
            assert history[-1].to_status == a.status, a.status
            assert [r.from_status for r in history[1:]] == [r.to_status for r in history[:-1]]
            assert [r.acted_on for r in history] == sorted(r.acted_on for r in history)
            if a.archived_on:
                assert [r.acted_on for r in history if r.action == "approve"] == [a.archived_on]
                assert a.publicity_end < a.archived_on and a.investigator_1 != a.investigator_2


def test_stored_grades_are_the_engines_own(db):
    with db.read_session() as s:
        book = archives.code_labels(s)
        for a in s.scalars(select(HardshipArchive)):
            on = a.applied_on or a.created_at.date()
            county = scope.county_of(scope.unit_chain(s, a.union_id))
            p = scope.as_params(scope.params_row(s, county.id, on.year), county.name)
            result = elig.assess(archives.household_of(a, archives.family_members(s, a.id),
                                                       archives.expenses(s, a.id), on), p, book)
            assert (result.category, result.text) == (a.proposed_category, a.eligibility_text)
            assert a.household_size == 1 + len(archives.family_members(s, a.id))


def test_people_are_valid_and_never_in_two_active_archives(db):
    with db.read_session() as s:
        for a in s.scalars(select(HardshipArchive).where(HardshipArchive.status.notin_(("exited", "cancelled")))):
            people = [a.id_number] + [m.id_number for m in archives.family_members(s, a.id)]
            for n in people:
                parse_id_number(n)
            assert find_conflicts(s, people, a.id) == []


def test_ledger_follows_the_rules(db):
    with db.read_session() as s:
        entries = s.scalars(select(ReliefEntry)).all()
        by_id = {e.id: e for e in entries}
        kinds = Counter(e.kind for e in entries)
        assert {"living", "medical", "warmth", "accident", "education"} <= set(kinds)
        reversals = [e for e in entries if e.reverses_id]
        assert reversals
        for r in reversals:
            o = by_id[r.reverses_id]
            assert (r.cash_fen, r.goods_qty, r.paid_on) == (-o.cash_fen, -o.goods_qty, o.paid_on)
        for e in entries:
            if e.recipient_kind != "worker":
                continue
            if e.archive_id is None:
                assert e.kind == "accident" and e.reason and e.recipient_id_number
                continue
            a = s.get(HardshipArchive, e.archive_id)
            assert a.archived_on <= e.paid_on and (a.closed_on is None or e.paid_on < a.closed_on)
        paid = s.scalars(select(StudyAid).where(StudyAid.status == "paid")).all()
        assert all(any(e.aid_id == aid.id for e in entries) for aid in paid)
        assert {v.target_kind for v in s.scalars(select(Visit))} == {"enterprise", "worker", "model_worker",
                                                                     "frontline"}


def test_statistics_over_the_demo(db, actors):
    from datetime import date

    with db.read_session() as s:
        r = hardship_stats(s, actors["auditor"], date(2000, 1, 1), date(2100, 1, 1))
        total = s.scalar(select(ReliefEntry.cash_fen).limit(1))
    v = {f.key: f.value for f in r.figures}
    assert total is not None and v["relief_cash"] > 0 and v["households_helped"] > 0
    assert v["archives_opened"] == v["archives_in_force"] + v["archives_exited"] + v["archives_cancelled"]


def test_the_next_approval_numbers_on_after_the_demos_archives(db):
    """The demo numbers its archives as 党组审批 does, so the next approval follows on."""
    from app.services.hardship import workflow
    from app.services.units import root_unit

    with db.read_session() as s:
        numbers = [n for n in s.scalars(select(HardshipArchive.archive_no)) if n]
        year = max(int(n.split("-")[2]) for n in numbers)
        serials = [int(n.rsplit("-", 1)[1]) for n in numbers if n.split("-")[2] == str(year)]
        assert sorted(serials) == list(range(1, len(serials) + 1))
        following = workflow.next_archive_no(s, root_unit(s), year)
    assert following == f"341122-困档-{year}-{len(serials) + 1:04d}"
