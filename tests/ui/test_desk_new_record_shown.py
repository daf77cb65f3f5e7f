"""A clerk's trial: after 新增 → 保存 the new record is the selected row of the list — also when
it sorts beyond the rows loaded so far, or the remembered search leaves it out — so the next
action (从会员新建档案, 修改, 打印) acts on it."""

import pytest
from PySide6.QtWidgets import QDialog

GOOD_ID = "11010519491231002X"


@pytest.mark.parametrize("how", ["beyond the first page", "left out by the search"])
def test_a_new_member_is_selected_and_shown_after_saving(qtbot, db, clerk_ctx, monkeypatch, how):
    from sqlalchemy import select

    from app.models import Unit
    from ui.pages.organisation import MEMBER_BINDING
    from ui.widgets.list_page import ListPage

    page = ListPage(clerk_ctx, MEMBER_BINDING)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    if how == "beyond the first page":
        page.model.page_size = 20
        page.reload()
    else:
        page.search.setText("没有这个人")
        page.search.commit()
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total is not None, timeout=10_000)
    with db.read_session() as s:
        union_id = s.scalars(select(Unit.id).where(Unit.kind == "grassroots")).first()

    def save_new(form):
        qtbot.addWidget(form)
        form.cells["name"].editor.line.setText("鼎新")
        form.cells["id_number"].editor.line.setText(GOOD_ID)
        form.cells["union_id"].editor.set_stored(union_id)
        form.accept()
        assert form.saved_id, form.message.text()
        return form.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(page, "_exec", save_new)
    page.new_record()
    qtbot.waitUntil(lambda: page.current_id() is not None and page.model.row_of(page.current_id()) >= 0
                    and page.current_label() == "鼎新", timeout=10_000)
    assert page.current_label() == "鼎新"
    row = page.view.currentIndex().row()
    assert page.view.visualRect(page.view.currentIndex()).intersects(page.view.viewport().rect())
    assert page.selected_ids() == [page.current_id()] and row >= 0
