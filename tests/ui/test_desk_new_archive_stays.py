"""A clerk's trial: a new archive is submitted from the form it was created in — 保存 keeps the
form open on the saved draft, its strip now offering 提交申请 and its tabs (审核记录, 附件 …) —
and the archive list selects the new archive once the form is closed."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from app.models import HardshipArchive
from tests.app.hardship.helpers import CHILD, HEAD, SPOUSE, archive_values, member_values
from tests.ui.hardship_support import wait_list
from tests.ui.test_hardship_archive_page import _fill_head, _type_rows


def test_saving_a_new_archive_keeps_its_form_open_for_submitting(qtbot, county, ctx_of,
                                                                   answer_dialogs, errors_shown, monkeypatch):
    from ui.pages.hardship.archive_form import ArchiveFormDialog
    from ui.pages.hardship.lists import ArchiveListPage

    ctx = ctx_of("clerk")
    page = ArchiveListPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    wait_list(qtbot, page)
    seen = {}

    def clerk_works(form):
        qtbot.addWidget(form)
        assert not form.strip.buttons  # nothing to submit before it is saved
        _fill_head(form, archive_values(county.ids["a"]))
        form.cells["id_number"].editor.line.setText(HEAD)
        _type_rows(form.children_editors["members"],
                   [member_values("李四", "10", SPOUSE, "600", identity="1", marital_status="20"),
                    member_values("张小明", "20", CHILD)])
        _type_rows(form.children_editors["expenses"],
                   [{"item": "1", "amount_fen": "8000"}, {"item": "2", "amount_fen": "1150"}])
        form.accept()  # 保存
        assert form.saved_id, form.message.text()
        assert form.result() != QDialog.DialogCode.Accepted and form.isVisible()  # still open
        assert form.record_id == form.saved_id and form.windowTitle().startswith("修改困难职工档案")
        assert "submit" in form.strip.buttons and form.strip.buttons["submit"].text() == "提交申请"
        titles = [form.tabs.tabText(i) for i in range(form.tabs.count())]
        assert "审核记录" in titles and "附件" in titles
        assert not form.dirty  # what is shown is what is stored
        seen["id"] = form.saved_id
        form.strip.buttons["submit"].click()  # answered by ``answer_dialogs``
        with county.db.read_session() as s:
            seen["status"] = s.get(HardshipArchive, form.saved_id).status
        form.reject()  # 关闭
        return form.result()

    monkeypatch.setattr(ArchiveFormDialog, "exec", lambda self: (self.show(), clerk_works(self))[1])
    page.new_record()
    assert seen["status"] == "applied", errors_shown
    qtbot.waitUntil(lambda: page.current_id() == seen["id"], timeout=10_000)


def test_a_new_ticket_and_a_new_founding_stay_open_on_their_chains_too(qtbot, db, clerk_ctx, answer):
    from app.clock import today
    from ui.pages.organisation.founding import FoundingForm
    from ui.pages.rights.tickets import TicketFormDialog

    answer(unsaved="discard")
    form = TicketFormDialog(clerk_ctx)
    qtbot.addWidget(form)
    raw = {"received_on": today().isoformat(), "channel": "visit", "person_name": "王秀兰",
           "category": "3", "sub_item": "301", "content": "单位拖欠工资", "visitors": "6"}
    cleaned, errors = form.spec.clean(raw, clerk_ctx.codes, partial=True)
    assert not errors, errors
    for key, value in cleaned.items():
        form.cells[key].editor.set_stored(value)
    form.accept()
    assert form.saved_id, form.message.text()
    assert form.record_id == form.saved_id and form.result() != QDialog.DialogCode.Accepted
    assert form.strip.buttons and not form.strip.new  # its first step offered
    assert "办理记录" in [form.tabs.tabText(i) for i in range(form.tabs.count())]
    assert not form.dirty

    founding = FoundingForm(clerk_ctx, None)
    qtbot.addWidget(founding)
    assert founding.strip.new and founding.steps_panel is None
