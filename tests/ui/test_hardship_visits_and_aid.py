"""走访慰问, 金秋助学 and 帮扶计划 tabs: a visit recorded under its campaign and its 慰问金 paid into
the ledger from the visit; a 金秋助学 application decided by a 审核人 (not by the clerk) and paid;
a plan's progress note moving its next review, and the plan finished."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from app.clock import today
from app.models import AuditEntry, ReliefEntry, StudyAid, Visit
from app.services import records
from app.services.hardship import aid
from tests.app.hardship.helpers import CHILD, HEAD, drive, make_archive
from tests.ui.hardship_support import wait_list


def _set(form, raw: dict) -> None:
    cleaned, errors = form.spec.clean(raw, form.ctx.codes, partial=True)
    assert not errors, errors
    for key, value in cleaned.items():
        form.cells[key].editor.set_stored(value)


def _line_texts(widget) -> list[str]:
    """Every text a line edit of the form holds, shown or not."""
    from PySide6.QtWidgets import QLineEdit

    return [w.text() for w in widget.findChildren(QLineEdit)]


def test_visit_under_its_campaign_then_its_payout(qtbot, county, ctx_of):
    from ui.pages.hardship.help_tabs import VisitsTab

    household = make_archive(county, "a")
    drive(county, household)
    with county.session("clerk") as s:
        campaign = records.create(s, county.actors["clerk"], "hardship_campaign", {
            "name": f"{today().year}年元旦春节送温暖", "kind": "spring", "year": today().year}).id
    tab = VisitsTab(ctx_of("clerk"))
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    tab.show()
    wait_list(qtbot, tab.campaigns)
    assert tab.campaigns.select_record(campaign)
    qtbot.waitUntil(lambda: tab.visits.scope.get("campaign_id") == campaign, timeout=10_000)
    wait_list(qtbot, tab.visits)

    form = tab.visits.make_form(None)
    _set(form, {"visited_on": today().isoformat(), "leader_name": "王主席", "leader_level": "县级",
                "target_kind": "困难职工", "archive_id": household})
    form.cells["archive_id"].editor.changed.emit()  # as the picker does
    assert form.cells["target_name"].editor.raw() == "张三"  # filled in from the archive
    assert form.cells["target_id_number"].editor.raw() == HEAD and HEAD not in _line_texts(form)
    form.accept()
    assert form.result() == QDialog.DialogCode.Accepted, {
        k: c.error.text() for k, c in form.cells.items() if c.error.text()}
    with county.db.read_session() as s:
        visit = s.get(Visit, form.saved_id)
        assert visit.campaign_id == campaign and visit.archive_id == household
    tab.visits.reload()
    wait_list(qtbot, tab.visits)
    assert tab.visits.select_record(form.saved_id)

    payout = tab.give()  # the payout form, filled in from the visit
    assert payout.cells["visit_id"].editor.raw() == form.saved_id
    assert payout.cells["kind"].editor.raw() == "warmth"
    number = payout.cells["recipient_id_number"].editor
    assert number.raw() == HEAD and HEAD not in _line_texts(payout)  # the visit's, masked
    number.show_button.click()  # 显示: logged against the visit it came from
    assert number.inner.raw() == HEAD
    with county.db.read_session() as s:
        reveal = s.scalars(select(AuditEntry).where(AuditEntry.action == "reveal")).one()
        assert reveal.object_id == form.saved_id and reveal.object_type == "hardship_visits"
    _set(payout, {"cash_fen": "800", "fund_source": "city"})
    payout.accept()
    assert payout.result() == QDialog.DialogCode.Accepted, payout.message.text()
    with county.db.read_session() as s:
        entry = s.scalars(select(ReliefEntry)).one()
        assert (entry.visit_id, entry.campaign_id, entry.archive_id, entry.cash_fen) == (
            form.saved_id, campaign, household, 80_000)


def test_study_aid_decided_by_a_reviewer_and_paid(qtbot, county, ctx_of, answer_dialogs,
                                                   errors_shown):
    from ui.pages.hardship.help_tabs import AidListPage

    household = make_archive(county, "a")
    drive(county, household)
    with county.session("clerk") as s:
        aid_id = records.create(s, county.actors["clerk"], "hardship_study_aid", {
            "year": today().year, "student_name": "张小明", "student_id_number": CHILD,
            "school": "安徽大学", "level": "本科", "study_years": 4, "tuition_fen": "5200",
            "account_name": "张小明", "bank_name": "农业银行", "bank_account": "6228480000000000001",
            "archive_id": household}).id

    clerk_page = AidListPage(ctx_of("clerk"))
    qtbot.addWidget(clerk_page)
    wait_list(qtbot, clerk_page)
    assert clerk_page.decide_action is None  # 审核 is a 审核人's: no button for the clerk

    page = AidListPage(ctx_of("reviewer"))
    qtbot.addWidget(page)
    wait_list(qtbot, page)
    assert page.select_record(aid_id)
    answer_dialogs.update({"decision": "approve", "opinion": "符合条件", "amount": "6000"})
    page.decide()  # above the year's standard: refused, the dialog says why
    assert "标准" in answer_dialogs.shown[-1].message.text()
    answer_dialogs["amount"] = ""
    page.decide()
    with county.db.read_session() as s:
        decided = s.get(StudyAid, aid_id)
        assert decided.status == "approved" and decided.granted_fen == decided.standard_fen > 0
        granted = decided.granted_fen

    clerk_page.reload()
    wait_list(qtbot, clerk_page)
    assert clerk_page.select_record(aid_id)
    answer_dialogs.clear()
    answer_dialogs.update({"paid_on": today().isoformat(), "fund_source": "acftu"})
    clerk_page.pay()
    assert answer_dialogs.shown[-1].result() == QDialog.DialogCode.Accepted
    with county.db.read_session() as s:
        entry = s.scalars(select(ReliefEntry).where(ReliefEntry.aid_id == aid_id)).one()
        assert (entry.kind, entry.cash_fen, entry.archive_id) == ("education", granted, household)


def test_help_plan_progress_due_filter_and_finish(qtbot, county, ctx_of, answer_dialogs):
    from datetime import timedelta

    from app.models import HelpPlan, HelpPlanNote
    from ui.pages.hardship.help_tabs import PlanFormDialog, PlanListPage

    household = make_archive(county, "a")
    drive(county, household)
    with county.session("clerk") as s:
        plan_id = records.create(s, county.actors["clerk"], "hardship_plan", {
            "archive_id": household, "cadre_name": "刘干部", "measures": "就业帮扶,医疗救助",
            "target_on": (today() + timedelta(days=200)).isoformat(),
            "next_review_on": (today() + timedelta(days=3)).isoformat()}).id
    page = PlanListPage(ctx_of("clerk"))
    qtbot.addWidget(page)
    wait_list(qtbot, page)
    page.apply_filters({"due_within": 7})  # 待回访: due within a week
    wait_list(qtbot, page)
    assert page.model.total == 1 and page.select_record(plan_id)

    answer_dialogs.update({"noted_on": today().isoformat(), "text": "已联系就业岗位",
                           "next_review_on": (today() + timedelta(days=30)).isoformat()})
    page.add_note()
    wait_list(qtbot, page)
    assert page.model.total == 0  # the next review moved a month out
    form = PlanFormDialog(ctx_of("clerk"), plan_id, page)
    assert form.notes.rowCount() == 1 and form.tabs.tabText(1) == "帮扶进展(1)"

    page.apply_filters({})
    wait_list(qtbot, page)
    assert page.select_record(plan_id)
    answer_dialogs.clear()
    answer_dialogs.update({"done": "done", "outcome": "已实现就业"})
    page.finish()
    with county.db.read_session() as s:
        plan = s.get(HelpPlan, plan_id)
        assert (plan.status, plan.outcome) == ("done", "已实现就业")
        assert s.scalar(select(HelpPlanNote.text).where(HelpPlanNote.plan_id == plan_id)) == "已联系就业岗位"


def test_study_aid_list_shows_plain_years_and_students_in_pinyin_order(qtbot, county, ctx_of):
    from PySide6.QtCore import Qt

    from tests.app.hardship.helpers import id_number
    from ui.pages.hardship.help_tabs import AidListPage

    household = make_archive(county, "a")
    drive(county, household)
    for name, number in (("张小明", CHILD), ("安娜", id_number("341122", date(2006, 2, 1), 24)),
                         ("李雷", id_number("341122", date(2006, 3, 1), 35))):
        with county.session("clerk") as s:
            records.create(s, county.actors["clerk"], "hardship_study_aid", {
                "year": today().year, "student_name": name, "student_id_number": number,
                "school": "安徽大学", "level": "本科", "archive_id": household})
    page = AidListPage(ctx_of("clerk"))
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    wait_list(qtbot, page)
    keys = [c.key for c in page.model.columns]

    def column(key):
        return [page.model.data(page.model.index(r, keys.index(key)), Qt.ItemDataRole.DisplayRole)
                for r in range(page.model.rowCount())]

    assert column("year") == [str(today().year)] * 3  # 2026, never 2,026
    assert column("student_name") == ["安娜", "李雷", "张小明"]  # an, li, zhang: by pinyin
    page.view.sortByColumn(keys.index("student_name"), Qt.SortOrder.DescendingOrder)
    wait_list(qtbot, page)
    assert column("student_name") == ["张小明", "李雷", "安娜"]
    assert "year" in page.filters.widgets  # 年度 declared filterable: offered
    page.apply_filters({"year": today().year - 1})
    wait_list(qtbot, page)
    assert page.model.total == 0


def test_declining_the_cap_warning_when_paying_study_aid_keeps_the_dialog_quietly(
        qtbot, county, ctx_of, answer, answer_dialogs, errors_shown):
    from app.services.hardship import ledger
    from ui.pages.hardship.help_tabs import AidListPage

    household = make_archive(county, "a")
    drive(county, household)
    with county.session("clerk") as s:
        ledger.record_relief(s, county.actors["clerk"], {
            "paid_on": today().isoformat(), "kind": "living", "recipient_kind": "worker",
            "archive_id": household, "cash_fen": "18000", "fund_source": "county"})
        aid_id = records.create(s, county.actors["clerk"], "hardship_study_aid", {
            "year": today().year, "student_name": "张小明", "student_id_number": CHILD,
            "school": "安徽大学", "level": "本科", "archive_id": household}).id
    with county.session("reviewer") as s:
        aid.decide(s, county.actors["reviewer"], aid_id, approve=True, opinion="符合条件")
    ctx = ctx_of("clerk")
    page = AidListPage(ctx)
    qtbot.addWidget(page)
    wait_list(qtbot, page)
    assert page.select_record(aid_id)
    notes: list[str] = []
    ctx.status_message.connect(notes.append)
    asked = answer(confirm=False)  # 18,000 + 5,000 is over the 20,000 cap: 取消
    answer_dialogs.update({"paid_on": today().isoformat(), "fund_source": "acftu"})
    page.pay()
    dialog = answer_dialogs.shown[-1]
    assert asked == ["confirm"] and dialog.result() != QDialog.DialogCode.Accepted
    assert errors_shown == [] and dialog.message.text() == ""
    assert notes == ["已取消,未发放金秋助学金"]
    with county.db.read_session() as s:
        assert s.scalars(select(ReliefEntry).where(ReliefEntry.aid_id == aid_id)).first() is None


def test_study_aid_form_fills_the_parent_from_the_archive_and_the_gender_live(qtbot, county,
                                                                             ctx_of):
    from ui.pages.hardship.help_tabs import AidListPage

    household = make_archive(county, "a")
    drive(county, household)
    page = AidListPage(ctx_of("clerk"))
    qtbot.addWidget(page)
    wait_list(qtbot, page)
    form = page.make_form(None)
    form.show()
    _set(form, {"year": str(today().year), "student_name": "张小明", "school": "安徽大学",
                "level": "本科", "study_years": "4"})
    id_cell = form.cells["student_id_number"]
    qtbot.keyClicks(id_cell.editor.line, CHILD)  # typed: the student's number is the user's own
    assert form.cells["student_gender"].editor.line.text() == "男"  # from the ID number, live
    form.accept()  # no parent yet: 必填 beside 家长姓名 and 家长身份证号
    assert form.result() != QDialog.DialogCode.Accepted
    assert form.cells["parent_name"].error.text() == "必填"

    form.cells["archive_id"].editor.set_stored(household)  # 家长困难职工档案 chosen
    form.cells["archive_id"].editor.changed.emit()
    assert form.cells["parent_name"].editor.raw() == "张三"
    assert form.cells["parent_name"].error.isHidden() and form.message.text() == ""
    assert form.cells["parent_id_number"].editor.raw() == HEAD
    assert HEAD not in _line_texts(form)  # masked, as everywhere
    assert form.cells["union_id"].editor.raw() == county.ids["a"]
    assert form.cells["parent_unit"].editor.raw() == "示例县甲厂有限公司"
    form.accept()
    assert form.result() == QDialog.DialogCode.Accepted, form.message.text()
    with county.db.read_session() as s:
        saved = s.get(StudyAid, form.saved_id)
        assert (saved.parent_name, saved.parent_id_number, saved.union_id, saved.student_gender) == (
            "张三", HEAD, county.ids["a"], "1")
