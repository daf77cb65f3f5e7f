"""Visits, 金秋助学, help plans and the 待办 reminders."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.clock import today
from app.errors import AppError, PermissionDenied, ValidationFailed
from app.fields.hardship_relief import STUDY_AID
from app.models import ReliefEntry
from app.services import records
from app.services.hardship import aid, ledger, plans, reminders, visits, workflow
from tests.app.hardship.helpers import CHILD, HEAD, drive, id_number, make_archive

TODAY = today()


@pytest.fixture
def household(county):
    a = make_archive(county)
    drive(county, a)
    return a


@pytest.fixture
def campaign(county):
    with county.session("clerk") as s:
        return records.create(s, county.actors["clerk"], "hardship_campaign", {
            "name": f"{TODAY.year}年元旦春节送温暖", "kind": "spring", "year": TODAY.year}).id


def visit(county, campaign, confirm=False, **values):
    base = {"campaign_id": campaign, "visited_on": TODAY.isoformat(), "leader_name": "王主席",
            "leader_level": "县级", "target_kind": "困难职工"}
    with county.session("clerk") as s:
        v, entries = visits.record_visit(s, county.actors["clerk"], {**base, **values}, cash="800",
                                         goods=[{"goods_kind": "rice", "goods_unit": "jin", "goods_qty": 50,
                                                 "goods_value_fen": "150"}],
                                         fund_source="市总", confirm=confirm)
        return v.id, [(e.kind, e.cash_fen, e.goods_qty, e.visit_id == v.id, e.campaign_id) for e in entries]


def test_a_visit_gives_through_the_ledger(county, household, campaign):
    vid, entries = visit(county, campaign, archive_id=household)
    assert entries == [("warmth", 80_000, 50, True, campaign)]
    with county.db.read_session() as s:
        assert [e.visit_id for e in visits.visit_entries(s, county.actors["clerk"], vid)] == [vid]


def test_visit_payouts_follow_the_ledger_rules(county, household, campaign):
    draft = make_archive(county, "c", id_no=id_number("341122", date(1980, 1, 1), 19), members=[])
    with pytest.raises(AppError, match="先建档,后帮扶"):
        visit(county, campaign, archive_id=draft)
    with county.db.read_session() as s:  # nothing half-written
        assert s.scalar(select(ReliefEntry.id)) is None
    visit(county, campaign, archive_id=household)
    with pytest.raises(ledger.NeedsConfirmation, match="重复慰问"):
        visit(county, campaign, archive_id=household)
    with pytest.raises(ValidationFailed, match="企业所在的工会"):
        visit(county, campaign, target_kind="困难企业", target_name="某企业")
    _, entries = visit(county, campaign, target_kind="困难企业", unit_id=county.ids["b"])
    assert entries[0][0] == "warmth"
    _, entries = visit(county, campaign, target_kind="困难劳模", target_name="劳模甲",
                       target_id_number=id_number("341122", date(1950, 1, 1), 11))
    assert entries[0][1] == 80_000


def aid_values(county, household=None, **extra):
    values = {"year": TODAY.year, "student_name": "张小明", "student_id_number": CHILD,
              "school": "安徽大学", "level": "本科", "study_years": 4, "tuition_fen": "5200",
              "account_name": "张小明", "bank_name": "农业银行", "bank_account": "6228480000000000001"}
    if household:
        values["archive_id"] = household
    values.update(extra)
    return values


def test_study_aid_never_grants_more_than_requested_without_a_reason(county, household):
    """An empty 批准金额 took the year's standard (5,000) where 4,000 was requested."""
    with county.session("clerk") as s:
        aid_id = records.create(s, county.actors["clerk"], "hardship_study_aid",
                                aid_values(county, household, requested_fen="4000")).id
    with county.session("reviewer") as s:
        decided = aid.decide(s, county.actors["reviewer"], aid_id, approve=True, opinion="同意")
        assert (decided.standard_fen, decided.granted_fen) == (500_000, 400_000)
    with county.session("clerk") as s:
        other = records.create(s, county.actors["clerk"], "hardship_study_aid", aid_values(
            county, household, requested_fen="4000", student_name="张小红",
            student_id_number=id_number("341122", date(2006, 2, 3), 42))).id
    with county.session("reviewer") as s, pytest.raises(ValidationFailed, match="高于申请金额 4,000.00 元"):
        aid.decide(s, county.actors["reviewer"], other, approve=True, opinion="同意", amount="4500")
    with county.session("reviewer") as s:
        decided = aid.decide(s, county.actors["reviewer"], other, approve=True, opinion="同意",
                             amount="4500", over_request_reason="学费上涨,学校已出具证明")
        assert decided.granted_fen == 450_000 and "学费上涨" in decided.county_opinion


def test_study_aid_from_application_to_ledger(county, household):
    with county.session("clerk") as s:
        a = records.create(s, county.actors["clerk"], "hardship_study_aid", aid_values(county, household))
        assert (a.parent_name, a.parent_id_number, a.standard_fen, a.union_id) == (
            "张三", HEAD, 500_000, county.ids["a"])
        aid_id = a.id
    with county.session("clerk") as s:
        with pytest.raises(PermissionDenied):
            aid.decide(s, county.actors["clerk"], aid_id, approve=True, opinion="同意")
    with county.session("reviewer") as s:
        with pytest.raises(AppError, match="不能高于当年标准 5,000.00 元"):
            aid.decide(s, county.actors["reviewer"], aid_id, approve=True, opinion="同意", amount="6000")
    with county.session("reviewer") as s:
        assert aid.decide(s, county.actors["reviewer"], aid_id, approve=True, opinion="同意").granted_fen == 500_000
    with county.session("clerk") as s:
        e = aid.pay(s, county.actors["clerk"], aid_id, paid_on=TODAY, fund_source="acftu")
        assert (e.kind, e.cash_fen, e.aid_id, e.archive_id) == ("education", 500_000, aid_id, household)
    with county.session("clerk") as s:
        with pytest.raises(AppError, match="已经发放"):
            aid.pay(s, county.actors["clerk"], aid_id, paid_on=TODAY, fund_source="acftu")
    with county.session("clerk") as s:
        with pytest.raises(ValidationFailed, match="已有金秋助学申请"):
            records.create(s, county.actors["clerk"], "hardship_study_aid", aid_values(county, household))


def test_study_aid_rules(county, household):
    stranger = id_number("341122", date(1970, 1, 1), 15)
    with pytest.raises(ValidationFailed, match="不是“张三”档案的户主或家庭成员"):
        with county.session("clerk") as s:
            records.create(s, county.actors["clerk"], "hardship_study_aid", aid_values(
                county, household, parent_name="外人", parent_id_number=stranger))
    with pytest.raises(ValidationFailed, match="致困原因"):
        with county.session("clerk") as s:  # a non-archived family: its own standard, and a cause
            records.create(s, county.actors["clerk"], "hardship_study_aid", aid_values(
                county, parent_name="王五", parent_id_number=stranger, union_id=county.ids["b"],
                student_id_number=id_number("341122", date(2008, 1, 1), 12), level="高中"))
    with county.session("clerk") as s:
        other = records.create(s, county.actors["clerk"], "hardship_study_aid", aid_values(
            county, parent_name="王五", parent_id_number=stranger, union_id=county.ids["b"],
            student_id_number=id_number("341122", date(2008, 1, 1), 12), level="高中",
            hardship_cause="父亲重病", other_aid="是", other_aid_text="民政助学金"))
        assert other.standard_fen == 200_000
        other_id = other.id
    with county.session("reviewer") as s:
        with pytest.raises(AppError, match="已获其他资助"):
            aid.decide(s, county.actors["reviewer"], other_id, approve=True, opinion="同意")
    with county.session("reviewer") as s:
        assert aid.decide(s, county.actors["reviewer"], other_id, approve=False,
                          opinion="已获其他资助").status == "rejected"


def test_study_aid_four_eyes(county, household):
    from dataclasses import replace

    with county.session("clerk") as s:
        aid_id = records.create(s, county.actors["clerk"], "hardship_study_aid", aid_values(county, household)).id
    as_reviewer = replace(county.actors["clerk"], role="reviewer")
    with county.db.session(as_reviewer) as s:
        with pytest.raises(PermissionDenied, match="四眼原则"):
            aid.decide(s, as_reviewer, aid_id, approve=True, opinion="同意")


def test_help_plans_and_reminders(county, household):
    with county.session("clerk") as s:
        with pytest.raises(ValidationFailed, match="完成时限不能早于下次回访日期"):
            records.create(s, county.actors["clerk"], "hardship_plan", {
                "archive_id": household, "cadre_name": "刘干部", "measures": "就业帮扶,医疗救助",
                "target_on": TODAY.isoformat(), "next_review_on": (TODAY + timedelta(days=3)).isoformat()})
    with county.session("clerk") as s:
        p = records.create(s, county.actors["clerk"], "hardship_plan", {
            "archive_id": household, "cadre_name": "刘干部", "cadre_phone": "13800001111",
            "measures": "就业帮扶,医疗救助", "target_on": (TODAY + timedelta(days=200)).isoformat(),
            "next_review_on": (TODAY + timedelta(days=3)).isoformat()})
        assert p.measures == "1,2" and p.status == "active"
        plan_id = p.id
    with county.db.read_session() as s:
        mine = reminders.reminders(s, county.actors["clerk"])
        assert [(r.kind, r.object_id) for r in mine if r.kind == "plan"] == [("plan", plan_id)]
        assert not [r for r in reminders.reminders(s, county.actors["reviewer"]) if r.kind == "plan"]
    with county.session("clerk") as s:
        plans.add_note(s, county.actors["clerk"], plan_id, {"noted_on": TODAY.isoformat(), "text": "已联系就业岗位"},
                       next_review_on=TODAY + timedelta(days=30))
    with county.db.read_session() as s:
        assert not [r for r in reminders.reminders(s, county.actors["clerk"]) if r.kind == "plan"]
        assert [n.author for n in plans.notes_of(s, county.actors["clerk"], plan_id)] == ["clerk姓名"]
    with county.session("clerk") as s:
        done = plans.finish_plan(s, county.actors["clerk"], plan_id, outcome="已实现就业")
        assert (done.status, done.next_review_on) == ("done", None)


def test_reminders_follow_the_review_chain_and_annual_due(county, household):
    pending = make_archive(county, "c", id_no=id_number("341122", date(1980, 1, 1), 19), members=[])
    drive(county, pending, "township")
    with county.db.read_session() as s:
        assert [(r.kind, r.object_id) for r in reminders.reminders(s, county.actors["reviewer"])
                if r.kind == "review"] == [("review", pending)]
        assert not [r for r in reminders.reminders(s, county.actors["clerk"]) if r.kind == "review"]
        assert not [r for r in reminders.reminders(s, county.actors["approver"]) if r.kind == "review"]
        later = reminders.reminders(s, county.actors["reviewer"], on=TODAY + timedelta(days=360))
        assert [(r.kind, r.object_id) for r in later if r.kind == "annual"] == [("annual", household)]
        assert not [r for r in reminders.reminders(s, county.actors["reviewer"]) if r.kind == "annual"]


def test_publicity_reminder_when_the_window_has_ended(county):
    a = make_archive(county)
    drive(county, a, "publicize")
    with county.db.read_session() as s:
        items = reminders.reminders(s, county.actors["clerk"])
        assert [(r.kind, r.object_id) for r in items if r.kind == "publicity"] == [("publicity", a)]
        assert workflow.available_actions(s, county.actors["clerk"], a)


def test_study_aid_list_sorts_students_by_pinyin_and_the_form_fills_from_the_archive(county, household):
    from app.services import listing
    from app.services.listing import ListQuery

    names = {"张小明": CHILD, "安娜": id_number("341122", date(2006, 2, 1), 24),
             "李雷": id_number("341122", date(2006, 3, 1), 35)}  # code points: 安 < 张 < 李
    for name, number in names.items():
        with county.session("clerk") as s:
            records.create(s, county.actors["clerk"], "hardship_study_aid", aid_values(
                county, household, student_name=name, student_id_number=number))
    with county.db.read_session() as s:
        clerk = county.actors["clerk"]
        rows = listing.fetch_page(s, clerk, ListQuery.of("hardship_study_aid")).rows
        col = [c.key for c in listing.list_columns(STUDY_AID)].index("student_name")
        assert [r.values[col] for r in rows] == ["安娜", "李雷", "张小明"]  # an, li, zhang
        rows = listing.fetch_page(s, clerk, ListQuery.of("hardship_study_aid", sort="student_name",
                                                         descending=True)).rows
        assert [r.values[col] for r in rows] == ["张小明", "李雷", "安娜"]

        filled = aid.fill_parent(s, {"archive_id": household})  # the form's fill, from the head
        assert (filled["parent_name"], filled["parent_id_number"], filled["union_id"]) == (
            "张三", HEAD, county.ids["a"])
        typed = aid.fill_parent(s, {"archive_id": household, "parent_name": "李四"})
        assert typed["parent_name"] == "李四"  # what the user typed stays
    live = {"student_id_number": CHILD, "student_name": "张小明"}
    aid.derive(live)
    assert live["student_gender"] == "1" and live["student_name_pinyin"] == "zhangxiaoming"


def test_the_pinyin_migration_fills_the_applications_already_there(tmp_path):
    import sqlite3

    from tests.conftest import migrate_file

    path = tmp_path / "old.db"
    migrate_file(path, "0005")
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO hardship_study_aid (id, year, status, student_name, student_id_number, "
                "student_gender, school, level, parent_name, parent_id_number, other_aid, created_at, "
                "created_by, updated_at, updated_by, revision, change_seq, vv, deleted) VALUES "
                "('s1', 2026, 'applied', '欧阳小明', '341122200506010031', '1', '安徽大学', '2', '张三', "
                "'341122197505200013', 0, '2026-01-01', '', '2026-01-01', '', 1, 7, '{}', 0)")
    raw.commit()
    raw.close()
    migrate_file(path, "head")
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT student_name_pinyin, change_seq FROM hardship_study_aid").fetchone() \
        == ("ouyangxiaoming", 7)
    plan = raw.execute("EXPLAIN QUERY PLAN SELECT id FROM hardship_study_aid WHERE deleted = 0 "
                       "ORDER BY student_name_pinyin, rowid LIMIT 201").fetchall()
    assert "ix_hardship_study_aid_student_name_pinyin" in str(plan)
    raw.close()


def test_a_payout_from_a_stored_visit_starts_as_record_visit_would(county, household):
    """登记慰问金(品) on a visit: the visit's recipient, union and campaign, and the relief kind of
    the campaign (a 节日 campaign gives 节日慰问, as ``record_visit`` would)."""
    with county.session("clerk") as s:
        festival = records.create(s, county.actors["clerk"], "hardship_campaign", {
            "name": f"{TODAY.year}年中秋慰问", "kind": "festival", "year": TODAY.year}).id
        v = records.create(s, county.actors["clerk"], "hardship_visit", {
            "campaign_id": festival, "visited_on": TODAY.isoformat(), "leader_name": "王主席",
            "leader_level": "县级", "target_kind": "困难职工", "archive_id": household})
        start = visits.payout_values(s, county.actors["clerk"], v.id)
    assert start["kind"] == "holiday" == visits.RELIEF_KIND["festival"]
    assert (start["visit_id"], start["campaign_id"], start["archive_id"]) == (v.id, festival, household)
    assert start["recipient_name"] == "张三" and start["recipient_id_number"] == HEAD
    assert None not in start.values()
    _, entries = visit(county, festival, archive_id=household)
    assert entries[0][0] == start["kind"]
