"""The review chain: every transition, every refusal (role, unit, level, four-eyes), and the
actions each user is offered."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.clock import today
from app.errors import AppError, PermissionDenied, ValidationFailed
from app.models import AuditEntry, HardshipArchive, HardshipReview, User
from app.services import listing
from app.services.hardship import archives, workflow
from app.services.listing import ListQuery
from app.validation import format_cn_date
from tests.app.hardship.helpers import STEP_ACTOR, STEP_INPUTS, drive, id_number, make_archive, paper_day


def act(county, who, archive_id, step, **values):
    with county.session(who) as s:
        return workflow.act(s, county.actors[who], archive_id, step, {**STEP_INPUTS.get(step, {}), **values})


def status(county, archive_id):
    with county.db.read_session() as s:
        return archives.get_archive(s, county.actors["clerk"], archive_id).status


def offered(county, who, archive_id):
    with county.db.read_session() as s:
        return [a.key for a in workflow.available_actions(s, county.actors[who], archive_id)]


def test_the_whole_chain_records_each_step(county):
    aid = make_archive(county)
    expected = ["applied", "grassroots_ok", "township_ok", "center_ok", "publicizing", "publicized", "archived"]
    for step, after in zip(("submit", "grassroots", "township", "center", "publicize", "end_publicity",
                            "approve"), expected):
        act(county, STEP_ACTOR[step], aid, step)
        assert status(county, aid) == after
    with county.db.read_session() as s:
        a = archives.get_archive(s, county.actors["clerk"], aid)
        assert a.archive_no == f"341122-困档-{today().year}-0001" and a.archived_on == today()
        assert a.reviewer_name == "reviewer姓名" and a.investigator_2 == "赵调查"
        assert a.publicity_end > a.publicity_start and a.publicity_note
        rows = [(r.action, r.actor_username, r.signer_name, r.level_unit_id, r.from_status, r.to_status)
                for r in workflow.history(s, county.actors["clerk"], aid)]
    assert [r[0] for r in rows] == ["submit", "grassroots", "township", "center", "publicize",
                                    "end_publicity", "approve"]
    assert rows[1][1:4] == ("clerk", "甲厂工会主席", county.ids["a"])
    assert rows[2][3] == county.ids["t1"] and rows[3][3] == county.ids["county"]
    assert rows[-1][4:] == ("publicized", "archived")


def test_archive_numbers_run_on_within_the_county_and_year(county):
    first = make_archive(county)
    second = make_archive(county, "c", id_no=id_number("341122", date(1980, 1, 1), 19), members=[])
    drive(county, first)
    drive(county, second)
    with county.db.read_session() as s:
        query = ListQuery.of("hardship_archive", filters={"status": "archived"})
        nos = sorted(s.scalars(listing.rows_select(s, query, [HardshipArchive.archive_no],
                                                   actor=county.actors["clerk"])))
    assert nos == [f"341122-困档-{today().year}-0001", f"341122-困档-{today().year}-0002"]


def test_actions_offered_follow_role_and_unit(county):
    aid = make_archive(county)
    assert offered(county, "clerk", aid) == ["submit"]
    assert offered(county, "g_clerk", aid) == ["submit"]
    assert offered(county, "gb_clerk", aid) == []  # another grassroots union
    assert offered(county, "reviewer", aid) == offered(county, "approver", aid) == []
    drive(county, aid, "submit")
    assert offered(county, "clerk", aid) == ["grassroots", "return"]
    assert offered(county, "t_clerk", aid) == ["grassroots", "return"]
    assert offered(county, "t2_clerk", aid) == []  # another township
    drive(county, aid, "grassroots")
    assert offered(county, "g_clerk", aid) == []  # a grassroots union does not do 复审
    assert offered(county, "t_clerk", aid) == ["township", "return"]
    drive(county, aid, "township")
    assert offered(county, "clerk", aid) == []
    assert offered(county, "t_reviewer", aid) == []  # a reviewer of the township is not the county
    assert offered(county, "reviewer", aid) == ["center", "return"]
    drive(county, aid, "center")
    assert offered(county, "clerk", aid) == offered(county, "reviewer", aid) == ["publicize", "return"]
    drive(county, aid, "end_publicity")
    assert offered(county, "approver", aid) == ["approve", "return"]
    assert offered(county, "reviewer", aid) == []
    drive(county, aid, "approve")
    assert offered(county, "reviewer", aid) == ["annual", "exit", "cancel"]
    assert offered(county, "clerk", aid) == offered(county, "approver", aid) == []


@pytest.mark.parametrize("who, step, until, message", [
    ("reviewer", "grassroots", "submit", "须由经办人办理"),
    ("approver", "township", "grassroots", "须由经办人办理"),
    ("clerk", "center", "township", "须由审核人办理"),
    ("reviewer", "approve", "end_publicity", "须由审批人办理"),
    ("gb_clerk", "grassroots", "submit", "不是“甲厂工会”或其上级工会"),
    ("g_clerk", "township", "grassroots", "须由城关镇工会或其上级办理"),
    ("t2_clerk", "township", "grassroots", "须由城关镇工会或其上级办理"),
    ("t_reviewer", "center", "township", "须由示例县总工会办理"),
    ("clerk", "approve", "center", "当前待公示,不能党组审批"),
])
def test_refusals(county, who, step, until, message):
    aid = make_archive(county)
    drive(county, aid, until)
    with pytest.raises(PermissionDenied, match=message):
        act(county, who, aid, step)


def test_the_paper_signer_is_required_when_keying_a_lower_levels_opinion(county):
    aid = make_archive(county)
    drive(county, aid, "submit")
    with pytest.raises(ValidationFailed, match="签字人"):
        act(county, "clerk", aid, "grassroots", signer_name="")
    act(county, "g_clerk", aid, "grassroots", signer_name="")  # the union's own user signs itself
    with county.db.read_session() as s:
        row = workflow.history(s, county.actors["clerk"], aid)[-1]
        assert (row.actor_username, row.signer_name) == ("g_clerk", None)
    with pytest.raises(ValidationFailed, match="签字人"):
        act(county, "clerk", aid, "township", signer_name="")
    act(county, "t_clerk", aid, "township", signer_name="")


def test_four_eyes_nobody_approves_what_they_entered(county):
    aid = make_archive(county, who="clerk2")
    drive(county, aid, "township")
    with county.session("admin") as s:  # clerk2 moves to the review desk
        s.scalar(select(User).where(User.username == "clerk2")).role = "reviewer"
    county.actors["clerk2"] = replace(county.actors["clerk2"], role="reviewer")
    with pytest.raises(PermissionDenied, match="四眼原则"):
        act(county, "clerk2", aid, "center")
    assert "center" not in offered(county, "clerk2", aid)
    act(county, "reviewer", aid, "center")
    act(county, "clerk", aid, "publicize")
    act(county, "clerk", aid, "end_publicity")
    with county.session("admin") as s:  # and the centre's reviewer is promoted to approver
        s.scalar(select(User).where(User.username == "reviewer")).role = "approver"
    county.actors["reviewer"] = replace(county.actors["reviewer"], role="approver")
    with pytest.raises(PermissionDenied, match="四眼原则"):
        act(county, "reviewer", aid, "approve")
    act(county, "approver", aid, "approve")


def test_return_at_any_level_needs_a_reason_and_restarts_the_chain(county):
    aid = make_archive(county)
    for until, who in (("submit", "t_clerk"), ("grassroots", "t_clerk"), ("township", "reviewer"),
                       ("center", "clerk"), ("end_publicity", "approver")):
        drive(county, aid, until)
        with pytest.raises(ValidationFailed, match="退回理由"):
            act(county, who, aid, "return", opinion="")
        # dated on paper before the next round's steps (STEP_INPUTS), the last one today
        on = None if until == "end_publicity" else paper_day()
        act(county, who, aid, "return", opinion="材料不全,请补充", signer_name="城关镇主席", acted_on=on)
        assert status(county, aid) == "returned"
        with county.session("clerk") as s:  # editable again
            archives.update_archive(s, county.actors["clerk"], aid, {"notes": f"补充材料 {until}"})
    with county.db.read_session() as s:
        rows = [(r.action, r.opinion) for r in workflow.history(s, county.actors["clerk"], aid)]
    assert sum(a == "return" for a, _ in rows) == 5
    assert all(o == "材料不全,请补充" for a, o in rows if a == "return")


def test_grassroots_review_needs_the_signed_authorization_and_two_investigators(county):
    aid = make_archive(county)
    drive(county, aid, "submit")
    with pytest.raises(AppError, match="授权委托书未签署"):
        act(county, "clerk", aid, "grassroots", authorization_signed="否")
    with pytest.raises(ValidationFailed, match="两人"):
        act(county, "clerk", aid, "grassroots", investigator_2="王调查")
    with pytest.raises(ValidationFailed):
        act(county, "clerk", aid, "grassroots", investigated_on="")


def test_civil_affairs_mismatch_cannot_pass(county):
    aid = make_archive(county)
    drive(county, aid, "township")
    with pytest.raises(AppError, match="民政核对结果与申报不符"):
        act(county, "reviewer", aid, "center", civil_check_result="不符")


def test_publicity_window_objections_and_closing(county):
    aid = make_archive(county)
    drive(county, aid, "center")
    act(county, "clerk", aid, "publicize", publicity_start=today().isoformat())
    with county.db.read_session() as s:
        a = archives.get_archive(s, county.actors["clerk"], aid)
        assert a.publicity_days == 5 and a.publicity_end >= today() + timedelta(days=4)
    with pytest.raises(AppError, match="期满后才能结束公示"):
        act(county, "clerk", aid, "end_publicity")
    with county.db.read_session() as s:  # the button is shown, disabled, with the reason
        info = {a.key: a for a in workflow.available_actions(s, county.actors["clerk"], aid)}
        assert "期满后才能结束公示" in info["end_publicity"].not_yet
    with county.session("clerk") as s:  # what the public is shown may not change under it
        with pytest.raises(PermissionDenied, match="公示期间不能改定"):
            workflow.override_category(s, county.actors["clerk"], aid, "2", "收入情况有变化")
    act(county, "reviewer", aid, "objection", opinion="群众反映有私家车,经核实为借用")
    assert status(county, aid) == "publicizing"
    with county.db.read_session() as s:
        assert [r.action for r in workflow.history(s, county.actors["clerk"], aid)][-1] == "objection"


def test_a_household_that_does_not_qualify_needs_a_written_override(county):
    aid = make_archive(county, income="9000")
    with pytest.raises(AppError, match="不符合建档条件"):
        act(county, "clerk", aid, "submit")
    with county.session("clerk") as s:
        with pytest.raises(ValidationFailed, match="须写明理由"):
            workflow.override_category(s, county.actors["clerk"], aid, "2", "")
    with county.session("clerk") as s:
        workflow.override_category(s, county.actors["clerk"], aid, "2", "收入不稳定,实际长期停发工资")
    act(county, "clerk", aid, "submit")
    with county.db.read_session() as s:
        a = archives.get_archive(s, county.actors["clerk"], aid)
        assert (a.category, a.proposed_category, a.category_overridden) == ("2", None, True)
        row = s.scalar(select(HardshipReview).where(HardshipReview.action == "category"))
        assert row.opinion == "收入不稳定,实际长期停发工资"
        assert s.scalar(select(AuditEntry).where(AuditEntry.object_type == "hardship_reviews",
                                                 AuditEntry.detail.like("%长期停发工资%"))) is not None
    with county.session("reviewer") as s:  # not the reviewer's step yet
        with pytest.raises(PermissionDenied):
            workflow.override_category(s, county.actors["reviewer"], aid, "1", "理由写在这里")


def test_annual_review_exit_and_cancel(county):
    aid = make_archive(county)
    drive(county, aid)
    act(county, "reviewer", aid, "annual", opinion="情况无变化")
    with county.db.read_session() as s:
        assert archives.get_archive(s, county.actors["clerk"], aid).last_recheck_on == today()
    with pytest.raises(ValidationFailed, match="脱困类"):
        act(county, "reviewer", aid, "exit", close_reason="21", opinion="死亡")
    with pytest.raises(PermissionDenied):
        act(county, "clerk", aid, "exit", close_reason="11", opinion="收入提高")
    act(county, "reviewer", aid, "exit", close_reason="11", opinion="配偶就业,收入提高")
    with county.db.read_session() as s:
        a = archives.get_archive(s, county.actors["clerk"], aid)
        assert (a.status, a.closed_on, a.close_reason) == ("exited", today(), "11")
        assert a.archive_no  # history kept, nothing deleted
    with county.session("clerk") as s:
        with pytest.raises(AppError):
            archives.update_archive(s, county.actors["clerk"], aid, {"notes": "x"})
    assert offered(county, "reviewer", aid) == []
    other = make_archive(county, "c", id_no=id_number("341122", date(1980, 1, 1), 19), members=[])
    drive(county, other)
    act(county, "reviewer", other, "cancel", close_reason="22", opinion="迁出本县")
    assert status(county, other) == "cancelled"


def test_annual_review_with_a_household_no_longer_poor_is_refused(county):
    aid = make_archive(county)
    drive(county, aid)
    with county.session("clerk") as s:
        archives.update_archive(s, county.actors["clerk"], aid, {"monthly_income_fen": "9000"})
        a = archives.get_archive(s, county.actors["clerk"], aid)
        assert (a.category, a.proposed_category) == ("1", None)  # approved grade kept until 年审
    with pytest.raises(AppError, match="已不符合建档条件"):
        act(county, "reviewer", aid, "annual")


def test_stale_and_never_helped_queries(county):
    aid = make_archive(county)
    drive(county, aid)
    later = today() + timedelta(days=400)
    with county.db.read_session() as s:
        def ids(**kw):
            return listing.all_ids(s, county.actors["clerk"], ListQuery.of("hardship_archive", filters=kw))

        assert ids(never_helped=True) == [aid]
        assert ids(stale=True) == [] and ids(stale=later) == [aid]  # a year on, not re-checked


def test_step_dates_stay_in_order(county):
    """The printed 申请审批表 reads in order: no step dated before the one it follows, 民政核对 sent
    before its result and the result before the centre's review, no 入户调查 in the future."""
    aid = make_archive(county)
    ago = lambda n: (today() - timedelta(days=n)).isoformat()  # noqa: E731
    cn = lambda iso: format_cn_date(date.fromisoformat(iso))  # noqa: E731

    def step(key, **values):
        who = STEP_ACTOR[key]
        with county.session(who) as s:
            workflow.act(s, county.actors[who], aid, key, {**STEP_INPUTS[key], **values})

    step("submit", acted_on=ago(10))
    with county.session("clerk") as s:  # logged today, not a paper step: it does not count
        workflow.override_category(s, county.actors["clerk"], aid, "2", "家庭情况特殊,按相对困难认定")
    with pytest.raises(ValidationFailed) as e:
        step("grassroots", acted_on=ago(11))
    assert e.value.errors == {"acted_on": f"基层工会初审日期不能早于提交申请日期 {cn(ago(10))}"}
    with pytest.raises(ValidationFailed) as e:
        step("grassroots", acted_on=ago(9), investigated_on=(today() + timedelta(days=1)).isoformat())
    assert e.value.errors["investigated_on"] == "日期不能晚于今天"
    with pytest.raises(ValidationFailed) as e:
        step("grassroots", acted_on=ago(9), investigated_on=ago(8))
    assert e.value.errors == {"acted_on": "初审日期不能早于入户调查日期"}
    step("grassroots", acted_on=ago(9), investigated_on=ago(12))
    step("township", acted_on=ago(9))  # the same day is in order
    with pytest.raises(ValidationFailed) as e:
        step("center", civil_check_sent_on=ago(3), civil_check_result_on=ago(5), acted_on=ago(1))
    assert e.value.errors == {"civil_check_result_on": "结果日期不能早于送达日期"}
    with pytest.raises(ValidationFailed) as e:
        step("center", civil_check_sent_on=ago(8), civil_check_result_on=ago(2), acted_on=ago(3))
    assert e.value.errors == {"acted_on": "审核日期不能早于民政核对结果日期"}
    step("center", civil_check_sent_on=ago(8), civil_check_result_on=ago(3), acted_on=ago(2))
    # the 公示 printed on the 申请审批表 after the review it follows: its start is a step date too
    # (keyed in today, the 公示 said to have started before the review)
    with pytest.raises(ValidationFailed) as e:
        step("publicize", publicity_start=ago(4), acted_on=None)
    assert e.value.errors == {"publicity_start": f"公示开始日期不能早于帮扶中心审核日期 {cn(ago(2))}"}
    with pytest.raises(ValidationFailed) as e:
        step("publicize", publicity_start=ago(2), acted_on=ago(3))
    assert e.value.errors == {"acted_on": f"开始公示日期不能早于帮扶中心审核日期 {cn(ago(2))}"}
    step("publicize", publicity_start=ago(2), acted_on=None)  # the same day is in order
    with county.db.read_session() as s:
        assert [r.action for r in workflow.history(s, county.actors["clerk"], aid)] == [
            "submit", "category", "grassroots", "township", "center", "publicize"]
