"""The 困难职工帮扶 archive list and form as a county clerk uses them: a new archive with a wrong
then a right ID number, family and 刚性支出 rows typed into the sub-tables, the live figures;
the list's masked ID numbers and filters; and the review chain through the workflow strip, with
the right roles, a return with its reason, and refusals for the wrong role."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from app.models import HardshipArchive, HardshipFamilyMember, HardshipReview
from tests.app.hardship.helpers import CHILD, HEAD, SPOUSE, STEP_INPUTS, archive_values, make_archive, member_values, paper_day
from tests.ui.hardship_support import wait_list

BAD_HEAD = HEAD[:-1] + ("0" if HEAD[-1] != "0" else "1")  # the check character made wrong


def _list(qtbot, ctx):
    from ui.pages.hardship.lists import ArchiveListPage

    page = ArchiveListPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    wait_list(qtbot, page)
    return page


def _type_rows(editor, rows: list[dict]) -> None:
    """Add rows to a sub-table and type each cell as the user would (codes by their labels)."""
    from ui.widgets.child_table import _cell_text

    codes = editor.ctx.codes
    for raw in rows:
        cleaned, errors = editor.spec.clean(raw, codes, partial=True)
        assert not errors, errors
        editor.add_row()
        r = editor.table.rowCount() - 1
        for col, f in enumerate(editor.fields):
            if f.key in cleaned and cleaned[f.key] is not None:
                editor.table.item(r, col).setText(_cell_text(f, cleaned[f.key], codes))


def _fill_head(form, raw: dict) -> None:
    """Every field of the archive's head as a clerk keys it in (typed values into the editors)."""
    cleaned, errors = form.spec.clean(raw, form.ctx.codes, partial=True)
    assert not errors, errors
    for key, value in cleaned.items():
        if key in form.cells and key != "id_number":
            form.cells[key].editor.set_stored(value)
    form.cells["union_id"].editor.changed.emit()  # as the picker does once a union is chosen


def _errors(form) -> dict:
    out = {k: c.error.text() for k, c in form.cells.items() if c.error.text()}
    out.update({k: e.message.text() for k, e in form.children_editors.items() if e.message.text()})
    return {**out, "": form.message.text()}


def _type_id(qtbot, cell, text: str) -> None:
    cell.editor.line.clear()
    qtbot.keyClicks(cell.editor.line, text)


def test_new_archive_bad_id_then_good_with_family_rows_and_live_figures(qtbot, county, ctx_of):
    ctx = ctx_of("clerk")
    page = _list(qtbot, ctx)
    form = page.make_form(None)  # a child of the page: closed with it
    form.show()
    assert form.windowTitle() == "新增困难职工档案"
    _fill_head(form, archive_values(county.ids["a"]))
    id_cell = form.cells["id_number"]
    _type_id(qtbot, id_cell, BAD_HEAD)
    assert "校验位" in id_cell.error.text() and not id_cell.error.isHidden()

    form.accept()  # 保存: refused beside the field, nothing written
    assert form.result() != QDialog.DialogCode.Accepted
    assert "校验位" in id_cell.error.text()
    with county.db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(HardshipArchive)) == 0

    _type_id(qtbot, id_cell, HEAD)
    assert id_cell.error.isHidden()
    assert form.cells["gender"].editor.raw() and form.cells["birth_date"].editor.raw()  # derived
    assert form.cells["employer"].editor.raw() == "示例县甲厂有限公司"  # from the chosen union
    _type_rows(form.children_editors["members"],
               [member_values("李四", "10", SPOUSE, "600", identity="1", marital_status="20"),
                member_values("张小明", "20", CHILD)])
    _type_rows(form.children_editors["expenses"],
               [{"item": "1", "amount_fen": "8000"}, {"item": "2", "amount_fen": "1150"}])
    form.compute_preview()  # the form recomputes on a short timer as the user types
    live = form.assessment
    assert live is not None and live.label == "深度困难职工家庭" in form.result_line.text()
    assert f"{live.per_capita_fen // 100}.{live.per_capita_fen % 100:02d}" in form.result_line.text()
    assert "低保" in form.working.toPlainText()
    assert form.cells["household_size"].editor.raw() in (3, "3")
    # 刚性支出合计 beside the working's figure, before saving (8,000.00 + 1,150.00)
    assert form.cells["rigid_expense_fen"].editor.raw() == 915_000
    assert form.cells["rigid_expense_fen"].editor.line.text() == "9,150.00"
    assert "9,150.00" in form.working.toPlainText()

    form.accept()
    assert form.saved_id and form.record_id == form.saved_id, _errors(form)  # open on the draft
    with county.db.read_session() as s:
        archive = s.get(HardshipArchive, form.saved_id)
        assert (archive.name, archive.id_number, archive.status) == ("张三", HEAD, "draft")
        assert archive.per_capita_fen == live.per_capita_fen  # saved as shown live
        assert archive.proposed_category == live.category and archive.household_size == 3
        assert archive.rigid_expense_fen == 915_000  # saved as shown live
        names = set(s.scalars(select(HardshipFamilyMember.name).where(
            HardshipFamilyMember.archive_id == archive.id, HardshipFamilyMember.deleted.is_(False))))
        assert names == {"李四", "张小明"}

    # the list shows it, ID number masked; the status filter narrows it
    page.reload()
    wait_list(qtbot, page)
    assert page.model.total == 1
    col = [c.key for c in page.model.columns].index("id_number")
    shown = page.model.data(page.model.index(0, col), Qt.ItemDataRole.DisplayRole)
    assert shown != HEAD and "*" in shown and shown[:4] == HEAD[:4]
    page.apply_filters({"status": "archived"})
    wait_list(qtbot, page)
    assert page.model.total == 0
    page.apply_filters({"status": "draft"})
    wait_list(qtbot, page)
    assert page.model.total == 1


def test_derived_figures_follow_the_tables_before_a_grade_can_be_proposed(qtbot, county, ctx_of):
    from ui.pages.hardship.archive_form import ArchiveFormDialog

    form = ArchiveFormDialog(ctx_of("clerk"))  # no union chosen yet: no proposal, but the sums
    qtbot.addWidget(form)
    _type_rows(form.children_editors["members"], [member_values("张小明", "20", CHILD)])
    _type_rows(form.children_editors["expenses"],
               [{"item": "1", "amount_fen": "8000"}, {"item": "9", "amount_fen": "300.50"}])
    qtbot.waitUntil(lambda: form.cells["rigid_expense_fen"].editor.raw() == 830_050, timeout=3000)
    assert form.assessment is None and "选择所属基层工会" in form.working.toPlainText()
    assert form.cells["household_size"].editor.raw() == 2
    assert form.cells["family_annual_income_fen"].editor.raw() is None  # no income typed yet
    form.cells["monthly_income_fen"].editor.set_stored(150_000)
    form.cells["monthly_income_fen"].editor.changed.emit()
    qtbot.waitUntil(lambda: form.cells["family_annual_income_fen"].editor.raw() == 1_800_000,
                    timeout=3000)
    form.children_editors["expenses"].table.selectRow(1)
    form.children_editors["expenses"].remove_selected()
    qtbot.waitUntil(lambda: form.cells["rigid_expense_fen"].editor.raw() == 800_000, timeout=3000)


def test_family_member_with_bad_id_is_marked_in_its_row_and_nothing_saved(qtbot, county, ctx_of):
    from ui.pages.hardship.archive_form import ArchiveFormDialog

    form = ArchiveFormDialog(ctx_of("clerk"))
    qtbot.addWidget(form)
    _fill_head(form, archive_values(county.ids["a"]))
    _type_id(qtbot, form.cells["id_number"], HEAD)
    members = form.children_editors["members"]
    _type_rows(members, [member_values("李四", "10", SPOUSE, "600")])
    id_col = [f.key for f in members.fields].index("id_number")
    members.table.item(0, id_col).setText(SPOUSE[:-1] + ("0" if SPOUSE[-1] != "0" else "1"))
    form.accept()
    assert form.result() != QDialog.DialogCode.Accepted
    assert "第 1 行" in members.message.text() and "身份证号" in members.message.text()
    with county.db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(HardshipArchive)) == 0


def _open(qtbot, ctx, archive_id):
    from ui.pages.hardship.archive_form import ArchiveFormDialog

    form = ArchiveFormDialog(ctx, archive_id)
    qtbot.addWidget(form)
    return form


def _status(county, archive_id) -> str:
    with county.db.read_session() as s:
        return s.get(HardshipArchive, archive_id).status


def _act(qtbot, ctx, archive_id, key, answers, inputs=None) -> str:
    """Open the archive as this user and press the strip's button for ``key``."""
    form = _open(qtbot, ctx, archive_id)
    assert key in form.strip.buttons, (key, list(form.strip.buttons))
    answers.clear()
    answers.update(STEP_INPUTS.get(key, {}) if inputs is None else inputs)
    qtbot.mouseClick(form.strip.buttons[key], Qt.MouseButton.LeftButton)
    assert answers.shown[-1].result() == QDialog.DialogCode.Accepted, answers.shown[-1].message.text()
    return form.status  # the form reloaded after the action


def test_review_chain_through_the_strip_with_roles_return_and_refusals(
        qtbot, county, ctx_of, answer_dialogs, errors_shown):
    archive_id = make_archive(county, "a", who="clerk")
    clerk, reviewer, approver = ctx_of("clerk"), ctx_of("reviewer"), ctx_of("approver")

    form = _open(qtbot, clerk, archive_id)
    assert list(form.strip.buttons) == ["submit"] and form.editable
    assert _act(qtbot, clerk, archive_id, "submit", answer_dialogs) == "applied"
    assert _act(qtbot, clerk, archive_id, "grassroots", answer_dialogs) == "grassroots_ok"
    assert _act(qtbot, clerk, archive_id, "township", answer_dialogs) == "township_ok"

    # the 帮扶中心审核 belongs to a 审核人: the clerk sees no such button and cannot force it
    form = _open(qtbot, clerk, archive_id)
    assert "center" not in form.strip.buttons and not form.editable
    from app.services.hardship import workflow

    with county.db.read_session() as s:
        center = next(a for a in workflow.available_actions(s, county.actors["reviewer"], archive_id)
                      if a.key == "center")
    dialog = form.strip.dialog_for(center)
    qtbot.addWidget(dialog)
    answer_dialogs.clear()
    answer_dialogs.update(STEP_INPUTS["center"])
    assert not form.strip.run(center)
    assert answer_dialogs.shown[-1].message.text() and errors_shown  # said why, in Chinese
    assert _status(county, archive_id) == "township_ok"

    # the reviewer returns it with a reason; the reason is in the archive's 审核记录
    assert _act(qtbot, reviewer, archive_id, "return", answer_dialogs,
                {"opinion": "收入证明不全,请补充", "acted_on": paper_day()}) == "returned"
    form = _open(qtbot, clerk, archive_id)
    assert form.editable and "submit" in form.strip.buttons
    form.reviews.load()
    texts = [form.reviews.table.item(r, c).text() for r in range(form.reviews.table.rowCount())
             for c in range(form.reviews.table.columnCount())]
    assert "收入证明不全,请补充" in texts

    for key, who in (("submit", clerk), ("grassroots", clerk), ("township", clerk),
                     ("center", reviewer), ("publicize", clerk), ("end_publicity", clerk)):
        _act(qtbot, who, archive_id, key, answer_dialogs)
    assert _status(county, archive_id) == "publicized"
    assert "approve" not in _open(qtbot, reviewer, archive_id).strip.buttons  # four eyes
    assert _act(qtbot, approver, archive_id, "approve", answer_dialogs) == "archived"
    with county.db.read_session() as s:
        archive = s.get(HardshipArchive, archive_id)
        assert archive.archive_no and archive.archive_no.startswith("341122")
        steps = s.scalar(select(func.count()).select_from(HardshipReview).where(
            HardshipReview.archive_id == archive_id))
    assert steps == 11  # 3 + 退回 + 7, each kept
    strip = _open(qtbot, approver, archive_id).strip
    assert strip.state.text() == "已建档" and not strip.buttons


def test_edit_a_stored_archive_keeps_its_family_and_refuses_during_review(qtbot, county, ctx_of,
                                                                           answer_dialogs):
    archive_id = make_archive(county, "a")
    form = _open(qtbot, ctx_of("clerk"), archive_id)
    assert form.editable and not form.dirty  # opening changes nothing
    assert len(form.children_editors["members"].rows()) == 2
    form.cells["address"].editor.set_stored("示例县城关镇幸福路2号")
    form.accept()
    assert form.result() == QDialog.DialogCode.Accepted, _errors(form)
    with county.db.read_session() as s:
        assert s.get(HardshipArchive, archive_id).address == "示例县城关镇幸福路2号"
        assert s.scalar(select(func.count()).select_from(HardshipFamilyMember).where(
            HardshipFamilyMember.archive_id == archive_id,
            HardshipFamilyMember.deleted.is_(False))) == 2
    _act(qtbot, ctx_of("clerk"), archive_id, "submit", answer_dialogs)
    form = _open(qtbot, ctx_of("clerk"), archive_id)
    assert not form.editable and form.save_button.isHidden()  # never edited during review
    assert not form.children_editors["members"].isEnabled()


def test_a_service_refusal_in_a_family_row_lands_in_its_cell(qtbot, county, ctx_of):
    ctx = ctx_of("clerk")
    page = _list(qtbot, ctx)
    form = page.make_form(None)
    form.show()
    _fill_head(form, archive_values(county.ids["a"]))
    _type_id(qtbot, form.cells["id_number"], HEAD)
    members = form.children_editors["members"]
    members.add_row()  # a blank row: not sent, so the service's row 0 is the table's row 1
    _type_rows(members, [member_values("李四", "02", SPOUSE)])  # 户主 listed as a family member
    form.accept()
    assert form.result() != QDialog.DialogCode.Accepted
    col = [f.key for f in members.fields].index("relation")
    assert members.table.item(1, col).toolTip() == "户主本人不列入家庭成员表"
    assert "第 2 行" in members.message.text() and "户主本人不列入家庭成员表" in members.message.text()
    assert "members[" not in form.message.text() and "members[" not in members.message.text()
    with county.db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(HardshipArchive)) == 0
