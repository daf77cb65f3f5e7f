"""Issue 12, point 2: a form keeps its place — a field's reason shows without moving the fields
below, numeric fields take only numbers, and 保存 with errors brings the first one into view and
names the fields to correct."""

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import select

from app.fields.spec import Field, Kind
from app.models import Unit

GOOD_ID = "11010519491231002X"
BAD_ID = "110105194912310021"


def _form(qtbot, ctx, height=640):
    from ui.pages.organisation import MEMBER_BINDING
    from ui.widgets.record_form import RecordFormDialog

    form = RecordFormDialog(ctx, MEMBER_BINDING)
    qtbot.addWidget(form)
    form.resize(900, height)
    form.show()
    QApplication.processEvents()
    return form


def _top(form, key):
    return form.cells[key].mapTo(form, QPoint(0, 0)).y()


def _settle():
    QApplication.processEvents()
    QApplication.processEvents()


def test_a_reason_under_a_field_moves_nothing_below(qtbot, clerk_ctx, answer):
    answer(unsaved="discard")
    form = _form(qtbot, clerk_ctx)
    below = {key: _top(form, key) for key in ("ethnicity", "political_status", "phone", "joined_on")}
    form.cells["name"].editor.left.emit()  # left empty: 必填
    form.cells["id_number"].editor.line.setText(BAD_ID)
    form.validate_field("id_number")
    _settle()
    assert form.cells["name"].error.text() and form.cells["id_number"].error.text()
    assert {key: _top(form, key) for key in below} == below
    # a reason longer than its line is whole in the tooltips
    cell = form.cells["id_number"]
    assert cell.error.toolTip() == cell.error.text() == cell.editor.input.toolTip()
    form.cells["id_number"].editor.line.setText(GOOD_ID)
    form.validate_field("id_number")
    assert cell.error.text() == "" and cell.editor.input.toolTip() == cell.editor.field.help


def test_numeric_fields_take_only_numbers(qtbot):
    from ui.widgets.form_builder import make_editor

    area = make_editor(None, Field("area", "建筑面积", Kind.DECIMAL))
    count = make_editor(None, Field("size", "家庭人口", Kind.INT, min_value=0))
    money = make_editor(None, Field("amount", "金额", Kind.MONEY))
    year = make_editor(None, Field("year", "年度", Kind.YEAR))
    for editor in (area, count, money, year):
        qtbot.addWidget(editor)
    qtbot.keyClicks(area.line, "12a.5m")
    qtbot.keyClicks(count.line, "3p-1")
    qtbot.keyClicks(money.line, "1,234.567")
    qtbot.keyClicks(year.line, "2026x")
    assert (area.line.text(), count.line.text(), money.line.text(), year.line.text()) == (
        "12.5", "31", "1,234.56", "2026")
    area.line.insert("平方米")  # words from the input method do not go in either
    assert area.line.text() == "12.5"
    area.line.clear()
    area.line.insert("１２．５")  # full-width digits do (the check reads them)
    assert area.line.text() == "１２．５"


def test_save_with_errors_scrolls_to_the_first_and_names_them(qtbot, db, clerk_ctx, answer):
    answer(unsaved="discard")
    form = _form(qtbot, clerk_ctx, height=360)  # a 1366×768 screen: the form scrolls
    with db.read_session() as s:
        union_id = s.scalars(select(Unit.id).where(Unit.kind == "grassroots")).first()
    form.cells["name"].editor.line.setText("王五")
    form.cells["union_id"].editor.set_stored(union_id)
    form.cells["joined_on"].editor.input.setText("2026-13-40")  # far down, in 会籍
    form.accept()
    assert form.result() != QDialog.DialogCode.Accepted
    assert form.message.text() == "身份证号、入会日期 需要修改"
    assert form.focusWidget() is form.cells["id_number"].editor.line
    form.cells["id_number"].editor.line.setText(GOOD_ID)
    form.validate_field("id_number")
    assert form.message.text() == "入会日期 需要修改"  # follows the corrections
    form.accept()
    _settle()
    joined = form.cells["joined_on"]
    assert form.focusWidget() is joined.editor.input
    bar = form.scroll.verticalScrollBar()
    assert bar.value() > 0  # brought into view
    viewport = form.scroll.viewport()
    top = joined.mapTo(viewport, QPoint(0, 0)).y()
    assert 0 <= top and top + joined.editor.height() <= viewport.height()


def test_a_step_dialog_keeps_its_place_too(qtbot, clerk_ctx):
    from ui.dialogs.fields_dialog import FieldsDialog

    fields = (Field("opinion", "意见", Kind.TEXT, required=True),
              Field("acted_on", "日期", Kind.DATE, required=True),
              Field("signer_name", "签字人", Kind.TEXT))
    dialog = FieldsDialog(clerk_ctx, "帮扶中心审核", fields, "审核通过", lambda raw: None)
    qtbot.addWidget(dialog)
    dialog.show()
    _settle()
    below = dialog.editors["signer_name"].mapTo(dialog, QPoint(0, 0)).y()
    dialog.accept()  # 意见 and 日期 empty: 必填 under each
    _settle()
    assert dialog.errors["opinion"].text() == "必填" and not dialog.errors["opinion"].isHidden()
    assert dialog.editors["signer_name"].mapTo(dialog, QPoint(0, 0)).y() == below
