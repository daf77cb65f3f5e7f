"""The member list and form as a clerk uses them: add a member (a wrong, then a right ID
number), search by pinyin initials, edit and cancel with the unsaved-changes prompt, void with
Delete, reveal a masked number (audited), filters remembered."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from app.models import AuditEntry, Member, Unit

GOOD_ID = "11010519491231002X"
BAD_ID = "110105194912310021"  # check digit should be X


def _page(qtbot, ctx):
    from ui.pages.organisation import MEMBER_BINDING
    from ui.widgets.list_page import ListPage

    page = ListPage(ctx, MEMBER_BINDING)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    _wait(qtbot, page)
    return page


def _wait(qtbot, page):
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total is not None, timeout=10_000)


def _search(qtbot, page, text):
    page.search.setText(text)
    page.search.commit()
    _wait(qtbot, page)


def _grassroots(db):
    with db.read_session() as s:
        unit = s.scalars(select(Unit).where(Unit.kind == "grassroots", Unit.deleted.is_(False))).first()
        return unit.id, unit.name


def _type(qtbot, line, text):
    """Type into a line edit: real key presses for ASCII (QTest has no keys for 汉字, which
    arrive from the input method as one edit)."""
    line.clear()
    if text.isascii():
        qtbot.keyClicks(line, text)
    else:
        line.setText(text)
        line.textEdited.emit(text)


def test_add_a_member_wrong_then_right_id_number(qtbot, db, clerk_ctx):
    page = _page(qtbot, clerk_ctx)
    union_id, union_name = _grassroots(db)
    form = page.make_form(None)
    qtbot.addWidget(form)
    form.show()
    assert form.windowTitle() == "新增会员" and form.save_button.isDefault()
    name, id_cell = form.cells["name"].editor, form.cells["id_number"]
    _type(qtbot, name.line, "张三")
    _type(qtbot, id_cell.editor.line, BAD_ID)  # checked as typed, at 18 characters
    assert id_cell.error.text() == "校验位不正确,请对照证件逐位核对" and not id_cell.error.isHidden()
    assert form.cells["gender"].editor.line.text() == ""
    form.cells["union_id"].editor.set_stored(union_id)
    assert form.cells["union_id"].editor.line.text() == union_name
    form.accept()  # Enter / 保存
    assert form.result() != QDialog.DialogCode.Accepted
    assert "校验位" in id_cell.error.text()
    assert form.message.text() == "身份证号 需要修改"
    with db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Member).where(Member.name == "张三")) == 0
    _type(qtbot, id_cell.editor.line, GOOD_ID)
    assert id_cell.error.isHidden()
    assert form.message.text() == ""  # the count follows the corrections
    assert form.cells["gender"].editor.line.text() == "女"  # derived live
    assert form.cells["birth_date"].editor.line.text() == "1949-12-31"
    form.accept()
    assert form.result() == QDialog.DialogCode.Accepted and form.saved_id
    with db.read_session() as s:
        saved = s.get(Member, form.saved_id)
        assert (saved.name, saved.id_number, saved.union_id, saved.status) == ("张三", GOOD_ID, union_id, "1")


def test_required_fields_and_server_side_errors_land_beside_their_fields(qtbot, db, clerk_ctx):
    page = _page(qtbot, clerk_ctx)
    with db.read_session() as s:
        existing = s.scalars(select(Member).where(Member.status == "1")).first()
        taken_id, union_id = existing.id_number, existing.union_id
    form = page.make_form(None)
    qtbot.addWidget(form)
    form.accept()
    assert form.cells["name"].error.text() == "必填"
    assert form.cells["union_id"].error.text() == "必填"
    _type(qtbot, form.cells["name"].editor.line, "李四")
    _type(qtbot, form.cells["id_number"].editor.line, taken_id)
    form.cells["union_id"].editor.set_stored(union_id)
    form.accept()  # the service finds the duplicate: its message goes under 身份证号
    assert form.result() != QDialog.DialogCode.Accepted
    assert "已是" in form.cells["id_number"].error.text() and "一人只能在一个工会" in form.cells["id_number"].error.text()


def test_search_by_pinyin_initials(qtbot, db, clerk_ctx):
    with db.read_session() as s:
        person = s.scalars(select(Member).where(func.length(Member.name) == 3)).first()
        person_id, initials = person.id, person.name_initials
        expected = s.scalar(select(func.count()).select_from(Member).where(
            Member.deleted.is_(False), Member.name_initials.like(initials + "%")))
    page = _page(qtbot, clerk_ctx)
    _search(qtbot, page, initials)
    ids = [r.id for r in page.model.rows]
    assert person_id in ids and page.model.total == expected == len(ids)
    assert page.count_label.text() == f"共 {expected:,} 条"
    _search(qtbot, page, "qqqqqq")
    assert page.model.rows == [] and page.hint.text().startswith("没有符合条件的记录")


def test_edit_then_cancel_asks_about_unsaved_changes(qtbot, db, clerk_ctx, answer):
    page = _page(qtbot, clerk_ctx)
    record_id = page.model.rows[0].id
    with db.read_session() as s:
        original = s.get(Member, record_id).name
    form = page.make_form(record_id)
    qtbot.addWidget(form)
    form.show()
    assert form.windowTitle() == f"修改会员 — {original}" and not form.dirty
    asked = answer(unsaved="cancel")
    form.reject()  # Esc with nothing changed: closes without asking
    assert asked == [] and not form.isVisible()
    form = page.make_form(record_id)
    qtbot.addWidget(form)
    form.show()
    _type(qtbot, form.cells["post"].editor.line, "新岗位")
    assert form.dirty and form.changed_values() == {"post": "新岗位"}
    form.reject()
    assert asked == ["unsaved"] and form.isVisible()  # 继续编辑
    answer(unsaved="discard")
    form.reject()
    assert not form.isVisible()
    with db.read_session() as s:
        assert s.get(Member, record_id).post != "新岗位"
    form = page.make_form(record_id)
    qtbot.addWidget(form)
    form.show()
    _type(qtbot, form.cells["post"].editor.line, "新岗位")
    answer(unsaved="save")
    form.reject()
    assert form.result() == QDialog.DialogCode.Accepted
    with db.read_session() as s:
        assert s.get(Member, record_id).post == "新岗位"


def test_history_tab_lists_the_changes(qtbot, db, clerk_ctx):
    page = _page(qtbot, clerk_ctx)
    record_id = page.model.rows[0].id
    form = page.make_form(record_id)
    qtbot.addWidget(form)
    _type(qtbot, form.cells["department"].editor.line, "财务部")
    assert form.save()
    form = page.make_form(record_id)
    qtbot.addWidget(form)
    form.tabs.setCurrentIndex(1)
    table = form.history_table.table
    texts = [table.item(r, 3).text() for r in range(table.rowCount())]
    assert any("部门" in t and "财务部" in t for t in texts)
    assert table.item(table.rowCount() - 1, 1).text() == "clerk"


def test_delete_key_voids_after_asking(qtbot, db, clerk_ctx, answer):
    page = _page(qtbot, clerk_ctx)
    total = page.model.total
    page.view.setFocus()
    page.view.setCurrentIndex(page.model.index(0, 0))
    victim = page.current_id()
    asked = answer(confirm=False)
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert asked == ["confirm"] and page.model.row_of(victim) == 0
    answer(confirm=True)
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert page.model.row_of(victim) == -1 and page.model.total == total - 1
    with db.read_session() as s:
        assert s.get(Member, victim).deleted is True


def test_reveal_a_masked_number_is_audited(qtbot, db, clerk_ctx):
    page = _page(qtbot, clerk_ctx)
    row = page.model.rows[0]
    col = [c.key for c in page.model.columns].index("id_number")
    index = page.model.index(0, col)
    assert "********" in index.data()
    page.reveal(row.id, "id_number")
    with db.read_session() as s:
        full = s.get(Member, row.id).id_number
        last = s.execute(select(AuditEntry.action, AuditEntry.object_id, AuditEntry.username)
                         .order_by(AuditEntry.seq.desc()).limit(1)).one()
    assert index.data() == full
    assert tuple(last) == ("reveal", row.id, "clerk")
    page.model.hide_revealed()
    assert "********" in index.data()


def test_readonly_role_sees_but_cannot_change(qtbot, db, actors):
    from tests.ui.conftest import make_ctx

    page = _page(qtbot, make_ctx(db, actors["readonly"]))
    assert not page.new_action.isEnabled() and not page.void_action.isEnabled()
    assert page.edit_action.text() == "查看"
    form = page.make_form(page.model.rows[0].id)
    qtbot.addWidget(form)
    assert form.save_button.isHidden() and form.windowTitle().startswith("查看会员")
    assert not form.cells["id_number"].editor.show_button.isEnabled()  # no REVEAL permission
    union = form.cells["union_id"].editor
    assert union.button.isHidden() and union.line.placeholderText() == ""  # no "按 F4" to read
    from ui.workers import wait_for_jobs

    wait_for_jobs()


def test_filters_and_search_are_remembered(qtbot, db, clerk_ctx):
    page = _page(qtbot, clerk_ctx)
    combo = page.filters.widgets["gender"]
    combo.setCurrentIndex(combo.findData("2"))
    combo.activated.emit(combo.currentIndex())
    _search(qtbot, page, "z")
    assert all(t[[c.key for c in page.model.columns].index("gender")] == "女"
               for t in (r.texts for r in page.model.rows))
    again = _page(qtbot, clerk_ctx)
    assert again.search.text() == "z"
    assert again.filters.values() == {"gender": "2"}
    assert [r.id for r in again.model.rows] == [r.id for r in page.model.rows]


def test_one_users_search_is_not_shown_to_the_next(qtbot, db, clerk_ctx, actors):
    from tests.ui.conftest import make_ctx

    page = _page(qtbot, clerk_ctx)
    _search(qtbot, page, "zs")
    other = _page(qtbot, make_ctx(db, actors["reviewer"]))  # the next user on the same PC
    assert other.search.text() == "" and other.filters.values() == {}
    assert _page(qtbot, clerk_ctx).search.text() == "zs"  # the clerk's own stays


@pytest.mark.parametrize("role", ["clerk"])
def test_filter_bar_is_generated_from_the_field_definitions(qtbot, db, actors, role):
    from app.fields.members import MEMBER
    from tests.ui.conftest import make_ctx
    from ui.widgets.filter_bar import FilterBar

    bar = FilterBar(make_ctx(db, actors[role]), MEMBER)
    qtbot.addWidget(bar)
    assert list(bar.widgets) == [f.key for f in MEMBER.fields if f.filter]
    labels = [bar.widgets["status"].itemText(i) for i in range(bar.widgets["status"].count())]
    assert labels[:3] == ["全部", "正常", "转出"]


def test_message_appears_when_leaving_a_field(qtbot, clerk_ctx):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import QApplication

    page = _page(qtbot, clerk_ctx)
    form = page.make_form(None)
    qtbot.addWidget(form)
    phone = form.cells["phone"]
    _type(qtbot, phone.editor.line, "1391234")
    assert phone.error.isHidden()  # nothing said while typing
    QApplication.sendEvent(phone.editor.line, QFocusEvent(QEvent.Type.FocusOut))
    assert not phone.error.isHidden() and phone.error.text()
    _type(qtbot, phone.editor.line, "13912345678")  # corrected: the message goes as it is fixed
    assert phone.error.isHidden()


def test_the_sort_arrow_shows_the_order_the_rows_are_in(qtbot, clerk_ctx):
    from ui.widgets.binding import RecordBinding
    from ui.widgets.list_page import ListPage

    # its first column is 基层工会, not the name (an archive's list leads with the name now)
    page = ListPage(clerk_ctx, RecordBinding.of("reading_room", "organisation.reading_room"))
    qtbot.addWidget(page)
    page.show()
    _wait(qtbot, page)
    header = page.view.horizontalHeader()
    keys = [c.key for c in page.model.columns]
    assert keys[0] != "name" and page.model.query.sort is None  # the spec's default: by name
    assert keys[header.sortIndicatorSection()] == "name"  # the arrow says so, not on column 0
    header.setSortIndicator(keys.index("name"), Qt.SortOrder.DescendingOrder)
    _wait(qtbot, page)
    assert page.model.query.sort == "name" and page.model.query.descending


def test_the_buttons_never_hide_in_an_overflow_menu(qtbot, clerk_ctx):
    page = _page(qtbot, clerk_ctx)
    texts = [a.text() for a in page.toolbar.actions() if a.text()]
    assert {"导出Excel", "打印", "刷新"} <= set(texts)
    page.resize(1100, 700)
    qtbot.waitUntil(lambda: page.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    assert page.toolbar.sizeHint().width() <= page.width()
    page.resize(560, 700)  # a narrow window: icons with tooltips, every button still there
    qtbot.waitUntil(lambda: page.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly)
    assert page.toolbar.sizeHint().width() <= page.width()
